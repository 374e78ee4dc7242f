"""Django settings, derived entirely from the typed spec in youke.config."""

from pathlib import Path

import dj_database_url

from youke import config
from youke.notifications.schedule import beat_schedule

CONFIG = config.load()
DATA_DIR: Path = CONFIG["DATA_DIR"]
PACKAGE_DIR = Path(__file__).resolve().parent

SECRET_KEY = CONFIG["SECRET_KEY"]
DEBUG = CONFIG["DEBUG"]
ALLOWED_HOSTS = CONFIG["ALLOWED_HOSTS"]
CSRF_TRUSTED_ORIGINS = CONFIG["CSRF_TRUSTED_ORIGINS"]

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
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
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

if CONFIG["DATABASE_URL"]:
    DATABASES = {"default": dj_database_url.parse(CONFIG["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "youke.sqlite3",
            "OPTIONS": {
                # WAL lets the web and worker processes read while one writes.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
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
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
else:
    CELERY_BROKER_URL = "filesystem://"
    QUEUE_DIR.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(QUEUE_DIR),
        "data_folder_out": str(QUEUE_DIR),
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
}
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO" if not DEBUG else "DEBUG"},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
