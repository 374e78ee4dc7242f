"""Django settings, derived entirely from the typed spec in youke.config."""

from pathlib import Path

from youke import config
from youke.classrooms.schedule import beat_schedule as classrooms_beat_schedule
from youke.collections.schedule import beat_schedule as collections_beat_schedule
from youke.monitoring.schedule import beat_schedule as monitoring_beat_schedule
from youke.notifications.schedule import beat_schedule
from youke.programmes.schedule import beat_schedule as programmes_beat_schedule
from youke.training.schedule import beat_schedule as training_beat_schedule

CONFIG = config.load()
DATA_DIR: Path = CONFIG["DATA_DIR"]
PACKAGE_DIR = Path(__file__).resolve().parent

SECRET_KEY = CONFIG["SECRET_KEY"]
FIELD_KEY = CONFIG["FIELD_KEY"]  # youke.core.fields: encrypted columns, keyed hashes
DEBUG = CONFIG["DEBUG"]
PDF_FONT: str = CONFIG["PDF_FONT"]  # youke.core.pdf_fonts
PDF_PROCESSES: int = CONFIG["PDF_PROCESSES"]  # youke.certificates.domain.rendering
ALLOWED_HOSTS = CONFIG["ALLOWED_HOSTS"]
CSRF_TRUSTED_ORIGINS = CONFIG["CSRF_TRUSTED_ORIGINS"]
SITE_URL: str = CONFIG["SITE_URL"]  # the public address: build absolute links (mail, QR) on it

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    # data apps
    "youke.core",
    "youke.orgs",
    "youke.catalog",
    "youke.campaigns",
    "youke.media",
    "youke.submissions",
    "youke.selection",
    "youke.notifications",
    "youke.certificates",
    "youke.monitoring",
    "youke.training",
    "youke.library",
    "youke.classrooms",
    "youke.originality",
    "youke.programmes",
    "youke.collections",
    # interface apps
    "youke.portal",
    "youke.public",
    "youke.manage",
    "youke.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "youke.core.middleware.SiteLanguageMiddleware",
    "youke.core.request_guard.RequestGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Anonymous lesson pages from the cache; everything below is skipped on a hit.
    "youke.public.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "youke.core.middleware.ContentSecurityPolicyMiddleware",
    "youke.portal.middleware.ForcePasswordChangeMiddleware",
]

ROOT_URLCONF = "youke.urls"
WSGI_APPLICATION = "youke.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "youke.portal.context_processors.active_role",
                "youke.notifications.context_processors.unread",
            ],
        },
    },
]

DATABASES = config.databases(CONFIG)  # persistent connections: DB_CONN_MAX_AGE
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if CONFIG["CACHE_URL"]:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CONFIG["CACHE_URL"],
        }
    }
else:
    # Shared by every web and worker process, unlike the local-memory cache.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "youke_cache",
        }
    }

AUTH_USER_MODEL = "orgs.Person"
AUTHENTICATION_BACKENDS = ["youke.orgs.backends.MobileOrUsernameBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:login"
LOGIN_MAX_FAILURES = CONFIG["LOGIN_MAX_FAILURES"]
LOGIN_FAILURE_WINDOW = CONFIG["LOGIN_FAILURE_WINDOW"]
SESSION_COOKIE_HTTPONLY = True
# Database sessions that know their owner (orgs.PersonSession): a password reset or a
# deactivation ends all of that person's sessions.
SESSION_ENGINE = "youke.orgs.sessions"
SESSION_COOKIE_AGE = 12 * 3600

LANGUAGE_CODE = "zh-hans"
# Language names stay in their own script so everyone can find theirs.
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
if CONFIG["S3_BUCKET"]:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": CONFIG["S3_BUCKET"],
            "endpoint_url": CONFIG["S3_ENDPOINT_URL"] or None,
            "access_key": CONFIG["S3_ACCESS_KEY"] or None,
            "secret_key": CONFIG["S3_SECRET_KEY"] or None,
            "region_name": CONFIG["S3_REGION"] or None,
            # Presigned playback URLs: botocore would sign them with the deprecated Signature
            # Version 2 for us-east-1, which newer AWS regions and some S3-compatible servers refuse.
            "signature_version": "s3v4",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def _media_origins() -> list[str]:
    """Where presigned media redirects lead: the CSP must let the player and document frames
    load from there (path-style and virtual-hosted bucket addresses)."""
    if not CONFIG["S3_BUCKET"]:
        return []
    from urllib.parse import urlsplit

    endpoint = CONFIG["S3_ENDPOINT_URL"]
    if not endpoint:
        return [f"https://{CONFIG['S3_BUCKET']}.s3.amazonaws.com", "https://s3.amazonaws.com"]
    parts = urlsplit(endpoint)
    return [
        f"{parts.scheme}://{parts.netloc}",
        f"{parts.scheme}://{CONFIG['S3_BUCKET']}.{parts.netloc}",
    ]


MEDIA_ORIGINS = _media_origins()
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
IMPORT_MAX_ROWS = CONFIG["IMPORT_MAX_ROWS"]
UPLOAD_MAX_IMPORT_BYTES = CONFIG["UPLOAD_MAX_IMPORT_BYTES"]
UPLOAD_MAX_BYTES = CONFIG["UPLOAD_MAX_BYTES"]
UPLOAD_ABANDON_HOURS = CONFIG["UPLOAD_ABANDON_HOURS"]

EMAIL_BACKEND = CONFIG["EMAIL_BACKEND"]
EMAIL_HOST = CONFIG["EMAIL_HOST"]
DEFAULT_FROM_EMAIL = CONFIG["DEFAULT_FROM_EMAIL"]

# Celery: without a broker server the queue lives in files that `youke worker` consumes.
QUEUE_DIR = DATA_DIR / "queue"
if CONFIG["CELERY_BROKER_URL"]:
    CELERY_BROKER_URL = CONFIG["CELERY_BROKER_URL"]
    # With acks_late a job is acknowledged when it ends; if its worker dies (SIGKILL, lost
    # machine) Redis gives it to another worker once this many seconds have passed.
    # kombu looks for such jobs only on every 10th sweep of 10 s by default, so a job could
    # wait 100 s past its timeout; a sweep every 10 s is one small Redis query.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": CONFIG["BROKER_VISIBILITY_TIMEOUT"],
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
    }
else:
    # A host name, though unused, keeps kombu from warning that none was supplied.
    CELERY_BROKER_URL = "filesystem://localhost/"
    QUEUE_DIR.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(QUEUE_DIR),
        "data_folder_out": str(QUEUE_DIR),
        # kombu keeps its exchange tables in "control_folder", by default ./control relative
        # to whatever the current directory is; it belongs with the queue.
        "control_folder": str(QUEUE_DIR / "control"),
        "store_processed": False,
    }
BROKERLESS_QUEUE = not CONFIG["CELERY_BROKER_URL"]
CELERY_TASK_ALWAYS_EAGER = CONFIG["JOBS_EAGER"]
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "cleanup-abandoned-uploads": {"task": "media.cleanup_uploads", "schedule": 3600.0},
    **beat_schedule(),
    **monitoring_beat_schedule(),
    # Library usage counters: buffered in the cache, written once a minute.
    "library-flush-counters": {"task": "library.flush_counters", "schedule": 60.0},
    **classrooms_beat_schedule(),
    **programmes_beat_schedule(),
    **collections_beat_schedule(),
    **training_beat_schedule(),
}
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO" if not DEBUG else "DEBUG"},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # "Not Found: /favicon.ico" and every 401/403/404 would fill the log with lines no one
        # can act on; server errors (5xx) are still logged. Refused CSRF checks and bad Host
        # headers are logged by django.security, which stays at WARNING.
        "django.request": {"level": "ERROR"},
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# HTTPS behind a reverse proxy (TLS ends at the proxy); all follow YOUKE_SITE_URL's scheme.
SECURE_SSL_REDIRECT = CONFIG["SSL_REDIRECT"]
# Load balancers probe the app directly over plain HTTP; a redirect would mark it down.
SECURE_REDIRECT_EXEMPT = [r"^api/v1/health$"]
SESSION_COOKIE_SECURE = CONFIG["SECURE_COOKIES"]
CSRF_COOKIE_SECURE = CONFIG["SECURE_COOKIES"]
SECURE_HSTS_SECONDS = CONFIG["HSTS_SECONDS"]
SECURE_HSTS_INCLUDE_SUBDOMAINS = CONFIG["HSTS_INCLUDE_SUBDOMAINS"]
SECURE_HSTS_PRELOAD = CONFIG["HSTS_PRELOAD"]
if CONFIG["PROXY_SSL_HEADER"]:
    _proxy_header = "HTTP_" + CONFIG["PROXY_SSL_HEADER"].strip().upper().replace("-", "_")
    SECURE_PROXY_SSL_HEADER = (_proxy_header, "https")
SILENCED_SYSTEM_CHECKS = []
if not SECURE_HSTS_PRELOAD:
    # security.W021 asks for HSTS preload. Preloading binds the whole registrable domain
    # (often a bureau's, shared with other sites) to HTTPS in every browser for months and
    # is hard to undo, so the operator opts in with YOUKE_HSTS_PRELOAD, never youke.
    SILENCED_SYSTEM_CHECKS.append("security.W021")
