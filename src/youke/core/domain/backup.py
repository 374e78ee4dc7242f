"""Backup and restore of a whole install: every row through the ORM, every stored file.

An archive is a directory:

- ``manifest.json``: format version, creation time, the latest applied migration per app,
  per model its row count and the SHA-256 of its rows file, per file its storage name,
  size and SHA-256, and which keys are included;
- ``db/<app_label>.<model>.jsonl``: one model per file, a header line naming the columns,
  then one JSON array per row in primary-key order. The encoding is canonical (sorted JSON
  keys, full-precision times in UTC), so the same rows give the same bytes on SQLite and
  PostgreSQL and the file's SHA-256 doubles as a checksum of the table;
- ``files/<storage name>``: every file in default storage referenced by a ``FileField`` or
  by a stored upload, read through ``default_storage`` (it may be S3);
- ``keys/secret_key``, ``keys/field_key`` only when asked for.

Encrypted columns (``core.fields.EncryptedTextField``) are written as their ciphertext,
so an archive without ``keys/`` shows no ID-card number, and restoring it needs the
original ``field_key`` to read them back.

Rows are read in batches from a server-side cursor and files copied in 1 MiB pieces, so
memory stays flat. Restore loads everything in one transaction (Django's foreign keys are
``DEFERRABLE INITIALLY DEFERRED`` on SQLite and PostgreSQL, so self-referencing trees load
in primary-key order), then compares the database and storage with the manifest.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import json
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import ExpressionWrapper, F, TextField, Value
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.core.fields import EncryptedTextField

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
KEY_NAMES = ("secret_key", "field_key")
CHUNK = 1024 * 1024
BATCH = 2000

# Rebuilt by `migrate` on every database with its own primary keys; youke grants nothing
# through Django permissions (roles are orgs.RoleGrant), so they are not part of the data.
SKIPPED = {"contenttypes.contenttype", "auth.permission", "auth.group_permissions"}

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message names the problem and the fix."""


@dataclass
class Report:
    """What a restore or a verification found; ``problems`` empty means identical."""

    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    bytes: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- models and rows -------------------------------------------------------------------


def data_models() -> list[type[models.Model]]:
    """Every concrete model that holds data, each after the models its foreign keys need."""
    candidates = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and label(model) not in SKIPPED
    ]
    candidates.sort(key=label)
    ordered: list[type[models.Model]] = []
    placed: set[type[models.Model]] = set()
    pending = list(candidates)
    while pending:
        for model in pending:
            needs = {
                f.related_model._meta.concrete_model
                for f in model._meta.concrete_fields
                if f.is_relation and f.related_model is not None
            } - {model}
            if needs <= placed | (needs - set(candidates)):
                break
        else:
            # A cycle of foreign keys: constraints are deferred, so any order loads.
            model = pending[0]
        ordered.append(model)
        placed.add(model)
        pending.remove(model)
    return ordered


def label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _columns(model: type[models.Model]) -> list[models.Field]:
    return list(model._meta.concrete_fields)


def _encode(value):
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return f"{value.days} {value.seconds} {value.microseconds}"
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"cannot encode {type(value).__name__}")


def _line(value) -> bytes:
    return (
        json.dumps(
            value, default=_encode, ensure_ascii=False, sort_keys=True, separators=(",", ":")
        )
        + "\n"
    ).encode()


def _decode(column: models.Field, value):
    if value is None:
        return None
    if isinstance(column, models.DurationField):
        days, seconds, micro = (int(part) for part in value.split())
        return dt.timedelta(days=days, seconds=seconds, microseconds=micro)
    if isinstance(column, EncryptedTextField):
        # The ciphertext goes in as it is: get_prep_value would encrypt it again.
        return Value(value, output_field=TextField())
    if isinstance(column, models.JSONField):
        return value
    return column.to_python(value)


def _rows(model: type[models.Model]) -> Iterator[list]:
    """The model's rows in primary-key order, encrypted columns as stored."""
    names: list = []
    raw: dict[str, ExpressionWrapper] = {}
    for column in _columns(model):
        if isinstance(column, EncryptedTextField):
            alias = f"raw__{column.attname}"
            raw[alias] = ExpressionWrapper(F(column.attname), output_field=TextField())
            names.append(alias)
        else:
            names.append(column.attname)
    queryset = model._base_manager.annotate(**raw).order_by("pk").values_list(*names)
    for row in queryset.iterator(chunk_size=BATCH):
        yield list(row)


# Storage names kept in plain text columns: the finished upload, and the HLS master
# playlist, whose segments and variant playlists sit in the same storage folder.
NAME_COLUMNS = {"media.upload": ("storage_name", False), "media.mediaasset": ("hls_master", True)}


def _file_names(model: type[models.Model], columns: list[models.Field], row: list) -> list[str]:
    names = [
        row[i]
        for i, column in enumerate(columns)
        if isinstance(column, models.FileField) and row[i]
    ]
    if label(model) in NAME_COLUMNS:
        column, whole_folder = NAME_COLUMNS[label(model)]
        stored = row[[c.attname for c in columns].index(column)]
        if stored and whole_folder and PurePosixPath(stored).parent.parts:
            names += _folder(str(PurePosixPath(stored).parent))
        elif stored:
            names.append(stored)
    return names


def _folder(folder: str) -> list[str]:
    """Every file under ``folder`` in default storage (listdir works on S3 too)."""
    subfolders, files = default_storage.listdir(folder)
    names = [f"{folder}/{name}" for name in files]
    for sub in subfolders:
        names += _folder(f"{folder}/{sub}")
    return names


def _header(model: type[models.Model]) -> dict:
    return {"model": label(model), "columns": [c.attname for c in _columns(model)]}


def table_digest(model: type[models.Model]) -> tuple[int, str]:
    """Row count and SHA-256 of the model's canonical rows file, computed from the database."""
    digest = hashlib.sha256(_line(_header(model)))
    count = 0
    for row in _rows(model):
        digest.update(_line(row))
        count += 1
    return count, digest.hexdigest()


def migration_state() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))


def nonempty_tables() -> list[str]:
    return [label(model) for model in data_models() if model._base_manager.exists()]


# --- files -----------------------------------------------------------------------------


def safe_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name or "\x00" in name:
        raise BackupError(
            _("存储文件名不安全：{name}；该备份不可信，请使用原始备份。").format(name=repr(name))
        )
    return path


def _copy(source, target, digest) -> int:
    size = 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        if target is not None:
            target.write(chunk)
        size += len(chunk)
    return size


def file_digest(opener: Callable[[], object]) -> tuple[int, str]:
    digest = hashlib.sha256()
    with opener() as handle:
        size = _copy(handle, None, digest)
    return size, digest.hexdigest()


# --- backup ----------------------------------------------------------------------------


@contextmanager
def snapshot() -> Iterator[None]:
    """One read-only view of every table, so rows written meanwhile are all in or all out.

    On SQLite, ``atomic()`` would ``BEGIN IMMEDIATE`` and lock the site's writers out for the
    whole dump; a deferred read transaction in WAL mode is a snapshot that blocks nobody.
    """
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def backup(out: Path, *, include_keys: bool = False, progress: Progress = print) -> dict:
    """Write the archive directory ``out`` (new or empty) and return its manifest."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BackupError(
            _("{out} 已存在且不是空目录；请指定一个新的目录作为备份位置。").format(out=out)
        )
    (out / "db").mkdir(parents=True, exist_ok=True)
    manifest: dict = {
        "format": FORMAT_VERSION,
        "created_at": timezone.now().astimezone(dt.UTC).isoformat(),
        "database": connection.vendor,
        "migrations": {},
        "models": [],
        "files": [],
        "missing": [],
        "keys": [],
    }
    files: set[str] = set()
    with snapshot():
        manifest["migrations"] = migration_state()
        for model in data_models():
            columns = _columns(model)
            path = out / "db" / f"{label(model)}.jsonl"
            digest = hashlib.sha256()
            count = 0
            with path.open("wb") as handle:
                for line in _lines(model, columns, files):
                    digest.update(line)
                    handle.write(line)
                    count += 1
            manifest["models"].append(
                {
                    "model": label(model),
                    "rows": count - 1,
                    "path": f"db/{path.name}",
                    "sha256": digest.hexdigest(),
                }
            )
            progress(_("{model}: {rows} 行").format(model=label(model), rows=count - 1))
    total = 0
    for name in sorted(files):
        target = out / "files" / safe_name(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        try:
            source = default_storage.open(name, "rb")
        except FileNotFoundError:
            # A row names a file storage no longer has: the backup still goes on (the site
            # is as broken without it), and the manifest says which files were missing.
            manifest["missing"].append(name)
            continue
        with source, target.open("wb") as handle:
            size = _copy(source, handle, digest)
        manifest["files"].append({"name": name, "size": size, "sha256": digest.hexdigest()})
        total += size
    for name in manifest["missing"][:10]:
        progress(_("存储中缺少被引用的文件，未能备份：{name}").format(name=name))
    if manifest["missing"]:
        progress(
            _("共 {count} 个被引用的文件在存储中缺失（见 manifest.json 的 missing）。").format(
                count=len(manifest["missing"])
            )
        )
    progress(_("文件：{count} 个，共 {size} 字节").format(count=len(files), size=total))
    if include_keys:
        (out / "keys").mkdir(mode=0o700)
        for key in KEY_NAMES:
            path = out / "keys" / key
            path.write_text(getattr(settings, key.upper()))
            path.chmod(0o600)
            manifest["keys"].append(key)
    with (out / MANIFEST).open("w") as handle:
        json.dump(manifest, handle, ensure_ascii=False, indent=1)
    return manifest


def _lines(model, columns, files: set[str]) -> Iterator[bytes]:
    yield _line(_header(model))
    scan = any(isinstance(c, models.FileField) for c in columns) or label(model) in NAME_COLUMNS
    for row in _rows(model):
        if scan:
            files.update(_file_names(model, columns, row))
        yield _line(row)


# --- restore and verify ----------------------------------------------------------------


def read_manifest(archive: Path) -> dict:
    path = archive / MANIFEST
    if not path.is_file():
        raise BackupError(
            _("{archive} 中没有 {manifest}；请指定 `youke backup` 写出的备份目录。").format(
                archive=archive, manifest=MANIFEST
            )
        )
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(
            _(
                "备份格式版本 {there} 与本程序的 {here} 不同；请用写出该备份的 youke 版本恢复。"
            ).format(there=manifest.get("format"), here=FORMAT_VERSION)
        )
    return manifest


def migration_differences(manifest: dict) -> list[str]:
    here = migration_state()
    there = manifest["migrations"]
    return [
        _("{app}：备份为 {there}，本数据库为 {here}").format(
            app=app, there=there.get(app, _("（无）")), here=here.get(app, _("（无）"))
        )
        for app in sorted(set(here) | set(there))
        if here.get(app) != there.get(app)
    ]


def check_archive(archive: Path, manifest: dict, progress: Progress = print) -> list[str]:
    """Every rows file and stored file of the archive against the manifest's sums."""
    problems = []
    for entry in manifest["models"]:
        path = archive / entry["path"]
        if not path.is_file():
            problems.append(_("缺少数据文件 {path}").format(path=entry["path"]))
            continue
        _size, sha = file_digest(lambda path=path: path.open("rb"))
        if sha != entry["sha256"]:
            problems.append(
                _("数据文件 {path} 的 SHA-256 与清单不符（被改动或损坏）").format(
                    path=entry["path"]
                )
            )
    for entry in manifest["files"]:
        path = archive / "files" / safe_name(entry["name"])
        if not path.is_file():
            problems.append(_("缺少文件 {name}").format(name=entry["name"]))
            continue
        size, sha = file_digest(lambda path=path: path.open("rb"))
        if (size, sha) != (entry["size"], entry["sha256"]):
            problems.append(
                _("文件 {name} 的大小或 SHA-256 与清单不符（被改动或损坏）").format(
                    name=entry["name"]
                )
            )
    progress(
        _("备份自检：{tables} 个数据文件，{files} 个文件").format(
            tables=len(manifest["models"]), files=len(manifest["files"])
        )
    )
    return problems


def restore(archive: Path, *, progress: Progress = print) -> Report:
    """Load the archive into this empty database and storage, then verify both."""
    manifest = read_manifest(archive)
    if differences := migration_differences(manifest):
        raise BackupError(
            _(
                "数据库的迁移状态与备份不同：{differences}。请安装与备份相同版本的 youke，"
                "在空数据库上运行 `youke migrate` 后再恢复。"
            ).format(differences="；".join(differences))
        )
    if filled := nonempty_tables():
        raise BackupError(
            _(
                "目标数据库已有数据（{tables}）；恢复只写入空数据库：请将 DATABASE_URL 指向新的"
                "空数据库并运行 `youke migrate` 后再恢复。"
            ).format(tables="、".join(filled[:5]) + (_("等") if len(filled) > 5 else ""))
        )
    if problems := check_archive(archive, manifest, progress):
        return Report(problems=problems)
    known = {label(model): model for model in data_models()}
    if missing := sorted(set(known) - {e["model"] for e in manifest["models"]}):
        raise BackupError(
            _("备份缺少这些表：{tables}；请使用完整的备份。").format(tables="、".join(missing))
        )
    with transaction.atomic():
        for entry in manifest["models"]:
            model = known[entry["model"]]
            loaded = _load(model, archive / entry["path"])
            progress(_("{model}: {rows} 行").format(model=entry["model"], rows=loaded))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), list(known.values())):
                    cursor.execute(sql)
    for entry in manifest["files"]:
        _put(archive, entry)
    progress(_("文件：{count} 个已写入存储").format(count=len(manifest["files"])))
    _restore_keys(archive, manifest, progress)
    return verify(archive, progress=progress, manifest=manifest)


def _load(model: type[models.Model], path: Path) -> int:
    columns = _columns(model)
    loaded = 0
    with path.open("rb") as handle:
        header = json.loads(handle.readline())
        if header["columns"] != [c.attname for c in columns]:
            raise BackupError(
                _("{model} 的列与备份不同；请用写出该备份的 youke 版本恢复。").format(
                    model=label(model)
                )
            )
        batch = []
        for raw in handle:
            batch.append(_instance(model, columns, json.loads(raw)))
            if len(batch) == BATCH:
                loaded += _insert(model, columns, batch)
                batch = []
        loaded += _insert(model, columns, batch)
    return loaded


def _instance(model, columns, values):
    obj = model.__new__(model)
    obj._state = ModelState()
    obj._state.adding = False
    for column, value in zip(columns, values, strict=True):
        obj.__dict__[column.attname] = _decode(column, value)
    return obj


def _insert(model, columns, batch) -> int:
    if batch:
        # raw=True is what bulk_create lacks: auto_now fields keep their stored times.
        model._base_manager._insert(batch, fields=columns, raw=True)
    return len(batch)


def _put(archive: Path, entry: dict) -> None:
    name = entry["name"]
    source = archive / "files" / safe_name(name)
    if default_storage.exists(name):
        size, sha = file_digest(lambda: default_storage.open(name, "rb"))
        if (size, sha) == (entry["size"], entry["sha256"]):
            return
        raise BackupError(
            _(
                "存储中已有不同内容的文件 {name}；请使用空的文件存储（媒体目录或存储桶）再恢复。"
            ).format(name=name)
        )
    with source.open("rb") as handle:
        stored = default_storage.save(name, File(handle, name=name))
    if stored != name:
        raise BackupError(
            _("存储把 {name} 保存成了 {stored}；请使用空的文件存储再恢复。").format(
                name=name, stored=stored
            )
        )


def _restore_keys(archive: Path, manifest: dict, progress: Progress) -> None:
    if not manifest["keys"]:
        progress(
            _(
                "备份不含密钥：身份证号只有用原安装的 field_key（YOUKE_FIELD_KEY 或数据目录中的 "
                "field_key 文件）才能读出。"
            )
        )
        return
    for key in manifest["keys"]:
        value = (archive / "keys" / key).read_text()
        env = f"YOUKE_{key.upper()}"
        if os.environ.get(env):
            if os.environ[env] != value:
                progress(
                    _(
                        "环境变量 {env} 与备份中的密钥不同：请把它改为备份中 keys/{key} 的值。"
                    ).format(env=env, key=key)
                )
            continue
        path = Path(settings.DATA_DIR) / key
        path.write_text(value)
        path.chmod(0o600)
        progress(_("密钥 {key} 已写入 {path}；重启服务后生效。").format(key=key, path=path))


def verify(archive: Path, *, progress: Progress = print, manifest: dict | None = None) -> Report:
    """Compare this database and storage with the archive without writing anything."""
    manifest = manifest or read_manifest(archive)
    report = Report()
    report.problems += migration_differences(manifest)
    known = {label(model): model for model in data_models()}
    for name in sorted(set(known) - {e["model"] for e in manifest["models"]}):
        report.problems.append(_("备份中没有表 {model}").format(model=name))
    with snapshot():
        _verify_tables(manifest, known, report)
    for entry in manifest["files"]:
        name = entry["name"]
        if not default_storage.exists(name):
            report.problems.append(_("存储中缺少文件 {name}").format(name=name))
            continue
        size, sha = file_digest(lambda name=name: default_storage.open(name, "rb"))
        report.files += 1
        report.bytes += size
        if (size, sha) != (entry["size"], entry["sha256"]):
            report.problems.append(
                _("存储中的文件 {name} 与备份不同（大小或 SHA-256）").format(name=name)
            )
    progress(
        _(
            "核对：{tables} 张表共 {rows} 行，{files} 个文件共 {size} 字节，{problems} 处不同"
        ).format(
            tables=len(report.rows),
            rows=sum(report.rows.values()),
            files=report.files,
            size=report.bytes,
            problems=len(report.problems),
        )
    )
    return report


def _verify_tables(manifest: dict, known: dict, report: Report) -> None:
    for entry in manifest["models"]:
        model = known.get(entry["model"])
        if model is None:
            report.problems.append(_("本程序没有备份中的表 {model}").format(model=entry["model"]))
            continue
        count, sha = table_digest(model)
        report.rows[entry["model"]] = count
        if count != entry["rows"]:
            report.problems.append(
                _("{model}：备份 {there} 行，数据库 {here} 行").format(
                    model=entry["model"], there=entry["rows"], here=count
                )
            )
        elif sha != entry["sha256"]:
            report.problems.append(
                _("{model}：行数相同但内容与备份不同").format(model=entry["model"])
            )
