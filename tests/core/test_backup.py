"""Backup and restore: a small world goes out and comes back identical, row by row and file by file."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from docx import Document

from tests.campaigns.conftest import catalog  # noqa: F401  (fixture)
from tests.factories import valid_id_card
from tests.selection.conftest import lessons  # noqa: F401  (fixture)
from tests.selection.test_review_domain import city_entry, city_round, expert, opened
from tests.submissions.conftest import campaign, stored_upload  # noqa: F401
from youke.campaigns.models import Criterion, MaterialRequirement
from youke.core.actor import Actor
from youke.core.domain import backup
from youke.core.models import AuditEvent
from youke.media.models import MediaAsset
from youke.orgs.domain import people
from youke.selection.domain.assignment import assign
from youke.selection.domain.review import save_scores
from youke.selection.models import Score
from youke.submissions.models import Material

pytestmark = pytest.mark.django_db(transaction=True)

ID_CARD = valid_id_card(7)


def docx_bytes(text: str) -> bytes:
    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def world(province, campaign, catalog, lessons):  # noqa: F811
    """Units, people (one with an ID-card number), a campaign, a package with a real file,
    its media asset with a poster, a submitted review score and the audit events of it all."""
    teacher = province.teacher_a
    teacher.id_card = ID_CARD
    teacher.save()
    people.reset_password(Actor(province.school_a_admin), teacher)
    entry = city_entry(campaign, teacher, lessons[0], "圆的认识")
    upload = stored_upload(teacher, "教学设计.docx", docx_bytes("圆的认识 教学设计"))
    Material.objects.create(
        submission=entry.submission,
        requirement=MaterialRequirement.objects.get(
            category=entry.submission.category, code="teaching_design"
        ),
        upload=upload,
    )
    asset = MediaAsset.objects.create(upload=upload, state="ready", checks=[{"code": "ok"}])
    asset.poster.save("poster.jpg", ContentFile(b"\xff\xd8\xff\xe0poster"))
    city_expert = expert(province.city, "市专家", catalog.primary)
    review_round = opened(province, city_round(province, campaign), city_expert)
    made = assign(Actor(province.city_admin), review_round, entry, city_expert)
    criteria = Criterion.objects.filter(category=entry.submission.category, is_veto=False)
    save_scores(Actor(city_expert), made, {c.pk: c.points for c in criteria}, submit=True)
    assert Score.objects.count() == criteria.count() > 0
    assert AuditEvent.objects.count() > 0
    return {"upload": upload, "asset": asset}


def blind_copies(asset) -> list[str]:
    """The sanitised copy, when the blind round's job has made it by now (it may run eagerly)."""
    asset.refresh_from_db()
    return [asset.sanitised.name] if asset.sanitised else []


def province_admin(teacher):
    return type(teacher).objects.get(username="prov")


def snapshot() -> dict:
    """Every row of every backed-up model, field by field, read through the ORM."""
    rows = {}
    for model in backup.data_models():
        names = [f.attname for f in model._meta.concrete_fields]
        rows[backup.label(model)] = list(model._base_manager.order_by("pk").values_list(*names))
    return rows


def stored_files() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


def empty_install() -> None:
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)


def test_round_trip_restores_every_row_and_file(world, tmp_path):
    before, files = snapshot(), stored_files()
    archive = tmp_path / "archive"
    manifest = backup.backup(archive, progress=lambda line: None)
    upload = world["upload"]
    assert {entry["name"] for entry in manifest["files"]} == {
        upload.storage_name,
        world["asset"].poster.name,
        *blind_copies(world["asset"]),
    }
    assert files == {entry["name"]: entry["sha256"] for entry in manifest["files"]}
    assert manifest["migrations"]["core"] == max(
        name for app, name in MigrationRecorder(connection).applied_migrations() if app == "core"
    )
    counts = {entry["model"]: entry["rows"] for entry in manifest["models"]}
    assert counts == {label: len(rows) for label, rows in before.items()}
    assert counts["selection.score"] > 0 and counts["submissions.submission"] == 1
    # The ID-card number is in the archive only as ciphertext.
    person_rows = (archive / "db" / "orgs.person.jsonl").read_text()
    assert ID_CARD not in person_rows
    assert manifest["keys"] == [] and not (archive / "keys").exists()

    empty_install()
    assert backup.nonempty_tables() == []
    lines: list[str] = []
    report = backup.restore(archive, progress=lines.append)

    assert report.problems == []
    assert report.rows == counts and report.files == len(manifest["files"])
    assert snapshot() == before
    assert stored_files() == files
    assert MediaAsset.objects.get().poster.read() == b"\xff\xd8\xff\xe0poster"
    teacher = type(upload.owner).objects.get(pk=upload.owner_id)
    assert teacher.id_card == ID_CARD
    assert f"selection.score: {counts['selection.score']} 行" in lines
    # Sequences continue after the restored keys (PostgreSQL needs them reset).
    people.reset_password(Actor(province_admin(teacher)), teacher)
    assert AuditEvent.objects.count() == counts["core.auditevent"] + 1


def test_verify_finds_a_changed_row_and_a_changed_file(world, tmp_path):
    archive = tmp_path / "archive"
    backup.backup(archive, progress=lambda line: None)
    assert backup.verify(archive, progress=lambda line: None).problems == []
    type(world["asset"]).objects.filter(pk=world["asset"].pk).update(error="改过")
    name = world["upload"].storage_name
    Path(default_storage.path(name)).write_bytes(b"other bytes")
    report = backup.verify(archive, progress=lambda line: None)
    assert report.problems == [
        "media.mediaasset：行数相同但内容与备份不同",
        f"存储中的文件 {name} 与备份不同（大小或 SHA-256）",
    ]


def test_tampered_file_fails_restore_naming_it_and_writes_nothing(world, tmp_path):
    archive = tmp_path / "archive"
    backup.backup(archive, progress=lambda line: None)
    name = world["upload"].storage_name
    (archive / "files" / name).write_bytes(b"tampered")
    empty_install()
    report = backup.restore(archive, progress=lambda line: None)
    assert report.problems == [f"文件 {name} 的大小或 SHA-256 与清单不符（被改动或损坏）"]
    assert backup.nonempty_tables() == []
    err = io.StringIO()
    with pytest.raises(Exception, match="与备份不一致：1 处"):
        call_command("restore", str(archive), stdout=io.StringIO(), stderr=err)
    assert name in err.getvalue()


def test_restore_into_a_database_with_rows_is_refused(world, tmp_path):
    archive = tmp_path / "archive"
    backup.backup(archive, progress=lambda line: None)
    with pytest.raises(backup.BackupError, match="目标数据库已有数据（.*orgs.person"):
        backup.restore(archive, progress=lambda line: None)


def test_migration_mismatch_is_refused_naming_the_app(world, tmp_path):
    archive = tmp_path / "archive"
    manifest = backup.backup(archive, progress=lambda line: None)
    here = manifest["migrations"]["orgs"]
    manifest["migrations"]["orgs"] = "0001_initial"
    (archive / "manifest.json").write_text(json.dumps(manifest))
    empty_install()
    with pytest.raises(backup.BackupError, match=f"orgs：备份为 0001_initial，本数据库为 {here}"):
        backup.restore(archive, progress=lambda line: None)


def test_a_missing_stored_file_is_listed_and_the_rest_restores(world, tmp_path):
    poster = world["asset"].poster.name
    default_storage.delete(poster)
    lines: list[str] = []
    manifest = backup.backup(tmp_path / "archive", progress=lines.append)
    assert manifest["missing"] == [poster]
    assert sorted(entry["name"] for entry in manifest["files"]) == sorted(
        [world["upload"].storage_name, *blind_copies(world["asset"])]
    )
    assert f"存储中缺少被引用的文件，未能备份：{poster}" in lines
    empty_install()
    report = backup.restore(tmp_path / "archive", progress=lambda line: None)
    assert (report.problems, report.files) == ([], len(manifest["files"]))


def test_backup_refuses_a_used_folder_and_keys_only_on_request(world, tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("x")
    with pytest.raises(backup.BackupError, match="不是空目录"):
        backup.backup(tmp_path / "used", progress=lambda line: None)
    manifest = backup.backup(tmp_path / "keys", include_keys=True, progress=lambda line: None)
    assert manifest["keys"] == ["secret_key", "field_key"]
    assert (tmp_path / "keys" / "keys" / "field_key").read_text() == settings.FIELD_KEY
    assert (tmp_path / "keys" / "keys" / "field_key").stat().st_mode & 0o777 == 0o600


def _target_environment(tmp_path: Path) -> tuple[dict, object]:
    """A second, empty install: its own data dir, and on PostgreSQL its own database."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["YOUKE_DATA_DIR"] = str(tmp_path / "target")
    env["YOUKE_FIELD_KEY"] = settings.FIELD_KEY
    if connection.vendor != "postgresql":
        return env, None
    name = f"{connection.settings_dict['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    params = connection.settings_dict
    env["DATABASE_URL"] = f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}/{name}"

    def drop():
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return env, drop


def test_restore_into_a_second_empty_install(world, tmp_path):
    archive = tmp_path / "archive"
    manifest = backup.backup(archive, progress=lambda line: None)
    env, drop = _target_environment(tmp_path)
    youke = [sys.executable, "-m", "youke.cli"]
    try:
        for args in (
            ["migrate", "-v0"],
            ["restore", str(archive)],
            ["restore", "--verify", str(archive)],
        ):
            done = subprocess.run(youke + args, env=env, capture_output=True, text=True)
            assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines()[-1] == "与备份一致。"
        media = tmp_path / "target" / "media"
        assert {
            entry["name"]: hashlib.sha256((media / entry["name"]).read_bytes()).hexdigest()
            for entry in manifest["files"]
        } == {entry["name"]: entry["sha256"] for entry in manifest["files"]}
        again = subprocess.run(
            youke + ["restore", str(archive)], env=env, capture_output=True, text=True
        )
        assert again.returncode == 1
        assert "目标数据库已有数据" in again.stderr
    finally:
        if drop:
            drop()
