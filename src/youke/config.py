"""The one typed configuration spec.

Every setting has a default that gives a one-machine install (SQLite under ``var/``, files
under ``var/media``, console mail, jobs through a file-system queue) and an environment
variable that production overrides. ``youke config`` prints the spec with current values.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def _bool(raw: str) -> bool:
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: Any
    cast: Callable[[str], Any]
    description: str
    secret: bool = False

    def read(self, environ: dict[str, str] | os._Environ[str]) -> Any:
        raw = environ.get(self.env)
        if raw is None or raw == "":
            return self.default
        return self.cast(raw)


SPEC: tuple[Setting, ...] = (
    Setting(
        "DATA_DIR",
        "YOUKE_DATA_DIR",
        "",
        str,
        "Folder for the SQLite database, media, job queue and generated secret (default: ./var)",
    ),
    Setting(
        "SECRET_KEY",
        "YOUKE_SECRET_KEY",
        "",
        str,
        "Django secret key; generated into DATA_DIR/secret_key when unset",
        secret=True,
    ),
    Setting("DEBUG", "YOUKE_DEBUG", False, _bool, "Django debug mode; never in production"),
    Setting(
        "ALLOWED_HOSTS",
        "YOUKE_ALLOWED_HOSTS",
        ["127.0.0.1", "localhost", "[::1]"],
        _list,
        "Comma-separated host names the site answers to",
    ),
    Setting(
        "CSRF_TRUSTED_ORIGINS",
        "YOUKE_CSRF_TRUSTED_ORIGINS",
        [],
        _list,
        "Comma-separated origins (https://host) trusted for form posts behind a proxy",
    ),
    Setting(
        "DATABASE_URL",
        "DATABASE_URL",
        "",
        str,
        "Database URL, e.g. postgres://user@host:5432/youke; default SQLite (WAL) in DATA_DIR",
        secret=True,
    ),
    Setting(
        "CELERY_BROKER_URL",
        "CELERY_BROKER_URL",
        "",
        str,
        "Celery broker, e.g. redis://127.0.0.1:6379/0; default a file-system queue in "
        "DATA_DIR/queue served by the worker that `youke serve` starts",
        secret=True,
    ),
    Setting(
        "JOBS_EAGER",
        "YOUKE_JOBS_EAGER",
        False,
        _bool,
        "Run background jobs inline (tests and scripts only)",
    ),
    Setting(
        "CACHE_URL",
        "YOUKE_CACHE_URL",
        "",
        str,
        "Cache for log-in rate limits and sessions, e.g. redis://127.0.0.1:6379/1; "
        "default the database cache table",
    ),
    Setting(
        "S3_BUCKET",
        "YOUKE_S3_BUCKET",
        "",
        str,
        "S3-compatible bucket for media; default local files in DATA_DIR/media",
    ),
    Setting("S3_ENDPOINT_URL", "YOUKE_S3_ENDPOINT_URL", "", str, "S3 endpoint URL"),
    Setting("S3_ACCESS_KEY", "YOUKE_S3_ACCESS_KEY", "", str, "S3 access key", secret=True),
    Setting("S3_SECRET_KEY", "YOUKE_S3_SECRET_KEY", "", str, "S3 secret key", secret=True),
    Setting(
        "EMAIL_BACKEND",
        "YOUKE_EMAIL_BACKEND",
        "django.core.mail.backends.console.EmailBackend",
        str,
        "Django e-mail backend",
    ),
    Setting("EMAIL_HOST", "YOUKE_EMAIL_HOST", "localhost", str, "SMTP host"),
    Setting(
        "DEFAULT_FROM_EMAIL",
        "YOUKE_FROM_EMAIL",
        "noreply@youke.local",
        str,
        "Sender address of notifications",
    ),
    Setting(
        "LOGIN_MAX_FAILURES",
        "YOUKE_LOGIN_MAX_FAILURES",
        5,
        int,
        "Failed log-ins allowed per account and per address within the window",
    ),
    Setting(
        "LOGIN_FAILURE_WINDOW",
        "YOUKE_LOGIN_FAILURE_WINDOW",
        900,
        int,
        "Seconds a run of failed log-ins is remembered (and the lock lasts)",
    ),
    Setting(
        "IMPORT_MAX_ROWS",
        "YOUKE_IMPORT_MAX_ROWS",
        100_000,
        int,
        "Largest xlsx/CSV import accepted, in data rows",
    ),
    Setting(
        "UPLOAD_MAX_IMPORT_BYTES",
        "YOUKE_UPLOAD_MAX_IMPORT_BYTES",
        50 * 1024 * 1024,
        int,
        "Largest import file accepted, in bytes",
    ),
    Setting(
        "UPLOAD_MAX_BYTES",
        "YOUKE_UPLOAD_MAX_BYTES",
        2 * 1024**3,
        int,
        "Hard ceiling for any single uploaded file; campaigns set their own limit below it",
    ),
    Setting(
        "UPLOAD_ABANDON_HOURS",
        "YOUKE_UPLOAD_ABANDON_HOURS",
        48,
        int,
        "Unfinished uploads older than this are removed by `youke cleanup_uploads`",
    ),
    Setting(
        "UPLOAD_MAX_UNFINISHED",
        "YOUKE_UPLOAD_MAX_UNFINISHED",
        5,
        int,
        "Unfinished uploads one person may hold at a time; a new one is refused until one "
        "finishes or is cancelled",
    ),
    Setting(
        "UPLOAD_MAX_RESERVED_BYTES",
        "YOUKE_UPLOAD_MAX_RESERVED_BYTES",
        3 * 1024**3,
        int,
        "Total declared size of one person's unfinished uploads, in bytes",
    ),
    Setting("PORT", "YOUKE_PORT", 8000, int, "Port `youke serve` listens on"),
    Setting("WEB_WORKERS", "YOUKE_WEB_WORKERS", 2, int, "Web worker processes of `youke serve`"),
    Setting("WEB_THREADS", "YOUKE_WEB_THREADS", 4, int, "Threads per web worker"),
)


def load(environ: dict[str, str] | os._Environ[str] | None = None) -> dict[str, Any]:
    environ = os.environ if environ is None else environ
    values = {setting.name: setting.read(environ) for setting in SPEC}
    data_dir = Path(values["DATA_DIR"] or Path.cwd() / "var").resolve()
    values["DATA_DIR"] = data_dir
    if not values["SECRET_KEY"]:
        values["SECRET_KEY"] = _generated_secret(data_dir / "secret_key")
    return values


def _generated_secret(path: Path) -> str:
    """Create the secret once per data folder so sessions survive restarts."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def describe(values: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """Rows of (name, env, current value, description) with secrets masked."""
    rows = []
    for setting in SPEC:
        value = values.get(setting.name)
        shown = "******" if setting.secret and value else str(value)
        rows.append((setting.name, setting.env, shown, setting.description))
    return rows
