"""``youke certs verify FILE.pdf [--keys keys.json]`` in a process that never starts Django.

Starting Django (every app, the URL configuration, the API schema) was most of the
check's time (the process took 3 times the CPU time it takes now); the checks themselves need only the public keys, pypdf and pyHanko
(``domain.offline``). The keys come from ``--keys`` or from the data folder's keys folder
(``DATA_DIR`` as ``youke.config`` computes it, the same folder Django's settings use); the
register's status (known, revoked) is one read-only query of the certificates table through
the configured database (SQLite or PostgreSQL), without the ORM. The output is the
management command's, line for line, and so is the exit status. Anything else on the command
line (``--help``, Django's own options) goes to the management command.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import closing
from pathlib import Path

from youke import config
from youke.certificates.domain import offline
from youke.certificates.domain.offline import _

# The register: the certificates app's table (models.Certificate), read, never written.
REGISTER_SQL = "SELECT payload, state, revoked_reason FROM certificates_certificate WHERE serial = "
STATE_REVOKED = "revoked"  # enums.CertificateState.REVOKED


class _Quiet(argparse.ArgumentParser):
    """A parser that says nothing on bad input: the management command will say it."""

    def error(self, message: str):
        raise ValueError(message)


def parse(argv: list[str]) -> argparse.Namespace | None:
    """The arguments when they are only a file and ``--keys``; None for anything else."""
    parser = _Quiet(add_help=False, allow_abbrev=False)
    parser.add_argument("file", type=Path)
    parser.add_argument("--keys", type=Path)
    try:
        args, rest = parser.parse_known_args(argv)
    except ValueError:
        return None
    return None if rest else args


def folder_keys() -> tuple[offline.PublicKey, ...]:
    folder = config.data_dir() / "keys" / "certificates"
    return offline.keys_in_folder(folder) if folder.is_dir() else ()


def _row(serial: str) -> tuple | None:
    database = config.databases(config.load())["default"]
    if database["ENGINE"].endswith("sqlite3"):
        import sqlite3

        path = Path(database["NAME"])
        if not path.is_file():
            raise FileNotFoundError(str(path))
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
            return connection.execute(REGISTER_SQL + "?", (serial,)).fetchone()
    import psycopg

    params = {
        "dbname": database.get("NAME"),
        "user": database.get("USER"),
        "password": database.get("PASSWORD"),
        "host": database.get("HOST"),
        "port": database.get("PORT"),
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}) as connection:
        return connection.execute(REGISTER_SQL + "%s", (serial,)).fetchone()


def register(serial: str, payload: str) -> tuple[str, str]:
    """(status, revoked reason), as ``domain.verify.register_status`` finds them."""
    try:
        row = _row(serial)
    except Exception as exc:  # noqa: BLE001  any database failure: say so, suggest offline
        raise offline.VerifyFailed(
            _("无法查询证书登记（%(e)s）：请检查数据库设置，或用 --keys 指定 keys.json 离线核验。")
            % {"e": exc}
        ) from exc
    if row is None or row[0] != payload:
        return offline.UNKNOWN, ""
    if row[1] == STATE_REVOKED:
        return offline.REVOKED, row[2]
    return offline.VALID, ""


def main(argv: list[str]) -> int:
    """Exit status 0 when every check passed, 1 otherwise (as Django's CommandError)."""
    args = parse(argv)
    if args is None:
        raise ValueError("not a plain `certs verify FILE [--keys FILE]`")
    try:
        offline.verify_file(args.file, args.keys, folder_keys, register, print)
    except offline.VerifyFailed as exc:
        sys.stdout.flush()
        sys.stderr.write(f"CommandError: {exc}\n")
        return 1
    return 0
