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
from urllib.parse import urlsplit

PACKAGE_DIR = Path(__file__).resolve().parent


def _project_root() -> Path | None:
    """The source checkout this package runs from (``src/youke`` → root), if any."""
    root = PACKAGE_DIR.parents[1]
    return root if (root / "pyproject.toml").is_file() else None


def default_data_dir() -> Path:
    """``var/`` of the checkout whatever the current directory; ``./var`` for a wheel install.

    Commands run from ``src/youke`` (``compilemessages``) or anywhere else must not leave a
    second data folder inside the source tree.
    """
    root = _project_root()
    return (root or Path.cwd()) / "var"


def _bool(raw: str) -> bool:
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


def _site_url(raw: str) -> str:
    parts = urlsplit(raw.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(
            f"YOUKE_SITE_URL must be an http:// or https:// address such as "
            f"https://youke.example.edu.cn/, not {raw!r}"
        )
    return raw.strip().rstrip("/") + "/"


def _https(values: dict[str, Any]) -> bool:
    return values["SITE_URL"].startswith("https://")


def _site_host(values: dict[str, Any]) -> str:
    return urlsplit(values["SITE_URL"]).hostname or ""


def _site_origin(values: dict[str, Any]) -> str:
    parts = urlsplit(values["SITE_URL"])
    return f"{parts.scheme}://{parts.netloc}"


LOCAL_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
HSTS_ONE_YEAR = 365 * 24 * 3600


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: Any
    cast: Callable[[str], Any]
    description: str
    secret: bool = False
    # When the variable is unset: compute the value from the other settings (e.g. the
    # HTTPS settings follow the site address) instead of using ``default``.
    derive: Callable[[dict[str, Any]], Any] | None = None

    def read(self, environ: dict[str, str] | os._Environ[str]) -> Any:
        raw = environ.get(self.env)
        if raw is None or raw == "":
            return self.default
        return self.cast(raw)

    def is_set(self, environ: dict[str, str] | os._Environ[str]) -> bool:
        return bool(environ.get(self.env))


SPEC: tuple[Setting, ...] = (
    Setting(
        "DATA_DIR",
        "YOUKE_DATA_DIR",
        "",
        str,
        "Folder for the SQLite database, media, job queue and generated secret "
        "(default: var/ in the project folder, whatever the current directory)",
    ),
    Setting(
        "SECRET_KEY",
        "YOUKE_SECRET_KEY",
        "",
        str,
        "Django secret key; generated into DATA_DIR/secret_key when unset",
        secret=True,
    ),
    Setting(
        "FIELD_KEY",
        "YOUKE_FIELD_KEY",
        "",
        str,
        "Key encrypting ID-card numbers in the database; generated into DATA_DIR/field_key "
        "when unset. Keep it outside the database backups: without it the numbers are lost",
        secret=True,
    ),
    Setting("DEBUG", "YOUKE_DEBUG", False, _bool, "Django debug mode; never in production"),
    Setting(
        "PDF_FONT",
        "YOUKE_PDF_FONT",
        "",
        str,
        "TrueType (.ttf/.ttc) Chinese font embedded in generated PDFs, optionally "
        "'path#index' for a collection; default: the first of WenQuanYi Zen Hei or AR PL "
        "UMing found (Debian: apt-get install fonts-wqy-zenhei)",
    ),
    Setting(
        "PDF_PROCESSES",
        "YOUKE_PDF_PROCESSES",
        0,
        int,
        "Processes that render a certificate batch's PDFs side by side (0: one per CPU "
        "core); batches under 100 PDFs render in the job's own process",
    ),
    Setting(
        "SITE_URL",
        "YOUKE_SITE_URL",
        "",
        _site_url,
        "Public address people open, e.g. https://youke.example.edu.cn/ (default "
        "http://127.0.0.1:PORT/); its host is allowed and trusted for form posts, and an "
        "https address turns on the HTTPS settings below",
        derive=lambda values: f"http://127.0.0.1:{values['PORT']}/",
    ),
    Setting(
        "ALLOWED_HOSTS",
        "YOUKE_ALLOWED_HOSTS",
        LOCAL_HOSTS,
        _list,
        "Comma-separated host names the site answers to (default: local names and the "
        "host of SITE_URL)",
        derive=lambda values: list(dict.fromkeys([*LOCAL_HOSTS, _site_host(values)])),
    ),
    Setting(
        "CSRF_TRUSTED_ORIGINS",
        "YOUKE_CSRF_TRUSTED_ORIGINS",
        [],
        _list,
        "Comma-separated extra origins (https://host) trusted for form posts; the origin "
        "of SITE_URL is always trusted",
    ),
    Setting(
        "SSL_REDIRECT",
        "YOUKE_SSL_REDIRECT",
        False,
        _bool,
        "Redirect plain-HTTP requests to HTTPS (except /api/v1/health, which load "
        "balancers probe over HTTP); default on when SITE_URL is https",
        derive=_https,
    ),
    Setting(
        "SECURE_COOKIES",
        "YOUKE_SECURE_COOKIES",
        False,
        _bool,
        "Send the session and CSRF cookies over HTTPS only; default on when SITE_URL is https",
        derive=_https,
    ),
    Setting(
        "HSTS_SECONDS",
        "YOUKE_HSTS_SECONDS",
        0,
        int,
        "Strict-Transport-Security max-age in seconds (0 = no header); default one year "
        "when SITE_URL is https. Start low (e.g. 3600) on a new domain",
        derive=lambda values: HSTS_ONE_YEAR if _https(values) else 0,
    ),
    Setting(
        "HSTS_INCLUDE_SUBDOMAINS",
        "YOUKE_HSTS_INCLUDE_SUBDOMAINS",
        False,
        _bool,
        "HSTS covers every subdomain of the site's host too; default on when SITE_URL is "
        "https. Turn off when a subdomain still serves plain HTTP",
        derive=_https,
    ),
    Setting(
        "HSTS_PRELOAD",
        "YOUKE_HSTS_PRELOAD",
        False,
        _bool,
        "Add 'preload' to HSTS (for submitting the domain to browsers' preload lists); "
        "a commitment for the whole domain, so only on request",
    ),
    Setting(
        "PROXY_SSL_HEADER",
        "YOUKE_PROXY_SSL_HEADER",
        "",
        str,
        "Header by which the reverse proxy tells that the request came over HTTPS (its "
        "value must be 'https'); the proxy must set or strip it on every request. Default "
        "X-Forwarded-Proto when SITE_URL is https; 'off' trusts no header",
        derive=lambda values: "X-Forwarded-Proto" if _https(values) else "",
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
        "DB_CONN_MAX_AGE",
        "YOUKE_DB_CONN_MAX_AGE",
        600,
        int,
        "Seconds a web thread keeps its database connection for the next requests (0: a new "
        "connection per request); PostgreSQL pays a few ms for each new one",
    ),
    Setting(
        "DB_CONN_HEALTH_CHECKS",
        "YOUKE_DB_CONN_HEALTH_CHECKS",
        True,
        _bool,
        "Check a kept connection before a request reuses it, so a database restart costs "
        "one reconnect, not an error page",
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
        "BROKER_VISIBILITY_TIMEOUT",
        "YOUKE_BROKER_VISIBILITY_TIMEOUT",
        5 * 3600,
        int,
        "Seconds after which the Redis broker hands an unacknowledged job to another worker "
        "(a worker killed mid-job loses nothing); must exceed the longest job (renditions: "
        "4 h), or a job still running would be started twice",
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
    Setting(
        "S3_REGION",
        "YOUKE_S3_REGION",
        "us-east-1",
        str,
        "S3 region (signs presigned playback URLs with Signature Version 4)",
    ),
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
    Setting(
        "UPLOAD_PART_BYTES",
        "YOUKE_UPLOAD_PART_BYTES",
        8 * 1024 * 1024,
        int,
        "Bytes of an upload in progress kept as one object in storage; a web process that "
        "dies mid-request loses at most this much, which the client sends again",
    ),
    Setting(
        "UPLOAD_LEASE_SECONDS",
        "YOUKE_UPLOAD_LEASE_SECONDS",
        60,
        int,
        "How long a request writing an upload holds it if its process dies without letting "
        "go; renewed while bytes arrive",
    ),
    Setting("PORT", "YOUKE_PORT", 8000, int, "Port `youke serve` listens on"),
    Setting("WEB_WORKERS", "YOUKE_WEB_WORKERS", 2, int, "Web worker processes of `youke serve`"),
    Setting("WEB_THREADS", "YOUKE_WEB_THREADS", 4, int, "Threads per web worker"),
)


def load(environ: dict[str, str] | os._Environ[str] | None = None) -> dict[str, Any]:
    environ = os.environ if environ is None else environ
    values = {setting.name: setting.read(environ) for setting in SPEC}
    for setting in SPEC:  # in spec order: SITE_URL is derived before what follows it
        if setting.derive is not None and not setting.is_set(environ):
            values[setting.name] = setting.derive(values)
    if values["PROXY_SSL_HEADER"].strip().lower() == "off":
        values["PROXY_SSL_HEADER"] = ""
    origin = _site_origin(values)
    if origin not in values["CSRF_TRUSTED_ORIGINS"]:
        values["CSRF_TRUSTED_ORIGINS"] = [*values["CSRF_TRUSTED_ORIGINS"], origin]
    data_dir = _data_dir(values["DATA_DIR"])
    values["DATA_DIR"] = data_dir
    if not values["SECRET_KEY"]:
        values["SECRET_KEY"] = _generated_secret(data_dir / "secret_key")
    if not values["FIELD_KEY"]:
        values["FIELD_KEY"] = _generated_secret(data_dir / "field_key")
    return values


def _data_dir(configured: str) -> Path:
    return Path(configured or default_data_dir()).resolve()


def data_dir(environ: dict[str, str] | os._Environ[str] | None = None) -> Path:
    """``DATA_DIR`` as ``load()`` computes it, without the rest (nor the secrets it writes):
    for a process that reads the data folder without Django, e.g. ``youke certs verify``."""
    environ = os.environ if environ is None else environ
    return _data_dir(next(s for s in SPEC if s.name == "DATA_DIR").read(environ))


def databases(values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Django ``DATABASES``: the URL's database, or SQLite (WAL) in DATA_DIR; both persistent."""
    persistent = {
        "CONN_MAX_AGE": values["DB_CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": values["DB_CONN_HEALTH_CHECKS"],
    }
    if values["DATABASE_URL"]:
        import dj_database_url

        return {"default": {**dj_database_url.parse(values["DATABASE_URL"]), **persistent}}
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": Path(values["DATA_DIR"]) / "youke.sqlite3",
            "OPTIONS": {
                # WAL lets the web and worker processes read while one writes.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
            **persistent,
        }
    }


def _generated_secret(path: Path) -> str:
    """Create the secret once per data folder so sessions (and encrypted fields) survive."""
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
