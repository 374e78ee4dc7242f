"""``youke certs verify`` runs without Django: same output and exit status as the command."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from youke.certificates.domain import issuing
from youke.certificates.enums import CertificateState
from youke.certificates.models import Certificate
from youke.certificates.verify_cli import STATE_REVOKED, parse
from youke.core.actor import Actor

pytestmark = pytest.mark.django_db
SRC = Path(__file__).resolve().parents[2] / "src"

# Runs the console script's main() and reports every django module the process loaded.
RUNNER = """
import sys
from youke import cli
try:
    cli.main()
finally:
    loaded = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
    sys.stderr.write("DJANGO_MODULES=" + ",".join(loaded) + "\\n")
"""


@pytest.fixture
def issued(province, awarded):
    issuing.issue_missing(Actor(province.city_admin), awarded.template)
    issuing.render_missing(awarded.template)
    return Certificate.objects.get(recipient=province.teacher_a)


def _run(data_dir: Path, *args: str) -> tuple[int, str, str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "YOUKE_DATA_DIR"}}
    env |= {"YOUKE_DATA_DIR": str(data_dir), "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, "certs", "verify", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    modules = next(
        line.split("=", 1)[1] for line in done.stderr.splitlines() if "DJANGO_MODULES=" in line
    )
    return (
        done.returncode,
        done.stdout,
        done.stderr.replace(f"DJANGO_MODULES={modules}\n", ""),
        modules,
    )


def _command(*args) -> str:
    out = io.StringIO()
    call_command("certs", "verify", *map(str, args), stdout=out)
    return out.getvalue()


def _copy_register(data_dir: Path) -> None:
    """The test database (in memory, inside the test's transaction) copied into the data
    folder's SQLite file that the CLI reads: its own schema and rows, dumped as SQL."""
    if connection.vendor != "sqlite":
        pytest.skip("the register copy dumps SQLite; the PostgreSQL query is the same SQL")
    connection.ensure_connection()
    target_path = data_dir / "youke.sqlite3"
    target_path.unlink(missing_ok=True)
    target = sqlite3.connect(target_path)
    target.executescript("\n".join(connection.connection.iterdump()))
    target.close()


def test_offline_with_keys_json_never_imports_django(issued, client, tmp_path, settings):
    keys_file = tmp_path / "keys.json"
    keys_file.write_text(json.dumps(client.get(reverse("public:certificate_keys")).json()))
    path = tmp_path / "c.pdf"
    path.write_bytes(issued.pdf.read())
    # An empty data folder: nothing but the file and the published keys.
    code, out, err, modules = _run(tmp_path / "empty", str(path), "--keys", str(keys_file))
    assert (code, modules, err) == (0, "", "")
    # Line for line what the management command prints (inside Django) for the same file.
    assert out == _command(path, "--keys", str(keys_file))
    assert f"✓ 二维码数据签名有效（密钥 {issued.kid}）。" in out
    assert out.endswith("✓ PDF 文档签名有效，签名后未被改动。\n核验通过。\n")


def test_register_read_without_django_shows_valid_then_revoked(issued, tmp_path, settings):
    path = tmp_path / "c.pdf"
    path.write_bytes(issued.pdf.read())
    _copy_register(settings.DATA_DIR)
    code, out, err, modules = _run(settings.DATA_DIR, str(path))
    assert (code, modules) == (0, ""), err
    assert "✓ 登记状态：有效。" in out
    assert out == _command(path)
    Certificate.objects.filter(pk=issued.pk).update(
        state=CertificateState.REVOKED, revoked_reason="异议成立"
    )
    _copy_register(settings.DATA_DIR)
    code, out, err, modules = _run(settings.DATA_DIR, str(path))
    assert (code, modules) == (1, "")
    assert "✗ 证书已撤销：异议成立" in out
    assert err == "CommandError: 核验未通过。\n"


def test_edited_pdf_and_missing_file_fail_without_django(issued, tmp_path, settings):
    data = bytearray(issued.pdf.read())
    at = data.index(b"ReportLab Generated PDF document")
    data[at] = ord("X")
    path = tmp_path / "edited.pdf"
    path.write_bytes(bytes(data))
    _copy_register(settings.DATA_DIR)
    code, out, _err, modules = _run(settings.DATA_DIR, str(path))
    assert (code, modules) == (1, "")
    assert "✗ PDF 文档签名无效：签名后文件内容被改动过。" in out
    code, out, err, modules = _run(settings.DATA_DIR, str(tmp_path / "none.pdf"))
    assert (code, modules, out) == (1, "", "")
    assert err == f"CommandError: 找不到文件 {tmp_path / 'none.pdf'}：请检查路径。\n"


def test_other_options_go_to_the_management_command(capsys):
    assert parse(["a.pdf", "--keys", "k.json"]) is not None
    assert parse(["a.pdf", "--verbosity", "2"]) is None
    assert parse(["--help"]) is None
    assert parse([]) is None
    assert capsys.readouterr() == ("", "")  # the command prints its own usage and errors
    assert STATE_REVOKED == CertificateState.REVOKED
