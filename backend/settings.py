"""One settings module, configured only from the environment (ARCHITECTURE.md §6).

Without any variable this is a safe demo: SQLite file, in-memory channel layer,
DEBUG off, localhost only, static files through whitenoise.
"""

import contextlib
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("RUANG_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("DJANGO_DEBUG")
# The demo key is only used when no key is configured; check --deploy flags it.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "insecure-demo-key-set-DJANGO_SECRET_KEY"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "backend",
    "realtime",
    "accounts",
    "consultations",
    "comments",
    "hearings",
    "voting",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "backend.middleware.PageLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "backend.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "backend.urls"
WSGI_APPLICATION = "backend.wsgi.application"
ASGI_APPLICATION = "backend.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "backend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "db.sqlite3")),
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Never CONN_MAX_AGE > 0 under ASGI: it leaks a connection per request. Use the pool.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The pool tests a connection (one empty query) before lending it, so one the server
    # dropped (restart, failover, pg_terminate_backend) is replaced instead of failing the
    # next request with a 503 (tests/faults/test_database_drop.py).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Prepared statements, through Django's public options: parameters are bound on the
    # server, and psycopg prepares a statement the fifth time a connection runs it, so
    # PostgreSQL parses and plans the dozen statements of a vote once per pooled
    # connection instead of on every vote; that halves its CPU per vote (docs/
    # PERFORMANCE.md "Votes"). Django leaves both off for the sake of transaction-mode
    # poolers (PgBouncer), which we do not deploy: the pool is Django's own. Restart the
    # workers after a migration that changes a column (DEPLOY.md does): a prepared
    # statement cannot survive its table changing shape.
    pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    pg_options.setdefault("server_side_binding", True)
    pg_options.setdefault("prepare_threshold", 5)
    if env_bool("DATABASE_POOL", True):
        pg_options["pool"] = {
            "min_size": int(os.environ.get("DATABASE_POOL_MIN", "2")),
            "max_size": int(os.environ.get("DATABASE_POOL_MAX", "20")),
            # A request waits this long for a connection, then answers 503.
            "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "10")),
            # Reconnection attempts back off 1, 2, 4, 8 s …; giving up after 10 s lets the
            # next request start afresh, so the pool is back within seconds of the server
            # rather than after a back-off as long as the outage (psycopg_pool's default
            # is 5 minutes of back-off).
            "reconnect_timeout": 10,
        }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Channels and cache -------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")


def redis_database(url: str) -> int:
    """The database number a Redis URL names (0 when it names none)."""
    database = urlsplit(url).path.strip("/")
    return int(database) if database.isdigit() else 0


def redis_backends(url: str) -> tuple[dict, dict]:
    """The channel layer and the cache on one Redis URL.

    Redis pub/sub ignores the database number in the URL, so the channel prefix carries it:
    two deployments (or two test workers) on one Redis server, each on its own database,
    never hear each other's events.
    """
    channel_layers = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [url], "prefix": f"ruang{redis_database(url)}"},
        }
    }
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    return channel_layers, caches


if REDIS_URL:
    CHANNEL_LAYERS, CACHES = redis_backends(REDIS_URL)
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth ---------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# --- i18n ---------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "backend" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"

# --- Static -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG and env_bool("STATIC_COLLECTED")
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# The demo runs without collectstatic: whitenoise serves straight from the apps.
WHITENOISE_USE_FINDERS = not env_bool("STATIC_COLLECTED")
if WHITENOISE_USE_FINDERS and not STATIC_ROOT.exists():
    with contextlib.suppress(OSError):  # whitenoise warns about a missing STATIC_ROOT
        STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# --- Security -----------------------------------------------------------------
SECURE_SSL = env_bool("DJANGO_SECURE_SSL")
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SECURE_SSL_REDIRECT = SECURE_SSL
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000" if SECURE_SSL else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_SSL
SECURE_HSTS_PRELOAD = SECURE_SSL
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE_SSL else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000_000

# --- REST framework -----------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "accounts.authentication.MemberTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "backend.pagination.PagePagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "backend.rest.DomainAutoSchema",
    "EXCEPTION_HANDLER": "backend.errors.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {"auth": "20/min"},
    # Throttles key on the client address. X-Forwarded-For is trusted only for this many
    # proxies in front (1 behind nginx); with 0 a client cannot dodge a throttle by sending it.
    "NUM_PROXIES": int(os.environ.get("DJANGO_NUM_PROXIES", "0")),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Ruang Dialog API",
    "DESCRIPTION": "Public consultations, comments, votes and live hearings.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OrganizationStatusEnum": "accounts.models.Organization.Status",
        "ConsultationStatusEnum": "consultations.models.Consultation.Status",
        "HearingScreenEnum": "hearings.models.Hearing.Screen",
    },
    # Swagger UI from the installed sidecar package: nothing loads from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One tag per app; backend.rest.DomainAutoSchema tags each operation with its view's app.
    "TAGS": [
        {"name": "accounts", "description": "Sign-up, tokens, agencies, organizations."},
        {"name": "consultations", "description": "Consultations, versions, sections, items."},
        {"name": "comments", "description": "Comments, moderation, responses (tanggapan)."},
        {"name": "hearings", "description": "Hearings: agenda, check-in, speakers, screens."},
        {"name": "voting", "description": "Votes, tallies, the vote log, live voting windows."},
        {"name": "reports", "description": "Exports and the Berita Acara."},
    ],
}

# --- Domain settings ----------------------------------------------------------
RUANG = {
    "CITY_NAME": os.environ.get("RUANG_CITY_NAME", "Kota Pasuruan"),
    "COMMENT_MAX_LENGTH": 5000,
    "COMMENT_EDIT_WINDOW_MINUTES": 15,
    "COMMENT_REPORT_THRESHOLD": int(os.environ.get("RUANG_COMMENT_REPORT_THRESHOLD", "3")),
    "COMMENT_RATE_PER_MINUTE": int(os.environ.get("RUANG_COMMENT_RATE_PER_MINUTE", "5")),
    "COMMENT_RATE_PER_HOUR": int(os.environ.get("RUANG_COMMENT_RATE_PER_HOUR", "60")),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
