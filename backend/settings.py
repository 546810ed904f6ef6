"""One settings module, configured only from the environment (ARCHITECTURE.md §6).

Without any variable this is a safe demo: SQLite file, in-memory channel layer,
DEBUG off, localhost only, static files through whitenoise.
"""

import contextlib
import datetime
import os
import secrets
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from backend.email_config import email_settings

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("RUANG_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def local_secret_key(var_dir: Path) -> str:
    """This installation's own key, made once into var/secret_key and reused: random, so
    no two demos share one, and stable, so sessions survive a restart. Two processes
    starting at once agree on one key (the file appears whole, by a hard link, or not)."""
    path = var_dir / "secret_key"
    if path.exists() and path.read_text().strip():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".secret_key.{os.getpid()}")
    draft.write_text(secrets.token_urlsafe(50))
    draft.chmod(0o600)
    try:
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink(missing_ok=True)
    return path.read_text().strip()


DEBUG = env_bool("DJANGO_DEBUG")
# Production is DJANGO_DEBUG set to a false value (docs/DEPLOY.md): it must bring its own
# key, or the app does not start. Anything else (DJANGO_DEBUG unset or true, or the `demo`
# command) is a local run that makes its own key in var/ and keeps it.
PRODUCTION = bool(os.environ.get("DJANGO_DEBUG", "").strip()) and not DEBUG
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION and sys.argv[1:2] != ["demo"]:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG=0 (production) the app needs "
            "its own key: python -c 'import secrets; print(secrets.token_urlsafe(50))' "
            "(docs/DEPLOY.md)."
        )
    SECRET_KEY = local_secret_key(VAR_DIR)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "backend.views.csrf_failure"  # in the page's language, not Django's English
# Individuals who did not opt in to their name show as "Warga-XXXXXX", an HMAC of their id
# with this key (accounts.names.pseudonym): stable across runs; rotating it renames everyone.
PSEUDONYM_SECRET = os.environ.get("RUANG_PSEUDONYM_SECRET") or SECRET_KEY
# The privacy notice in force (privacy/templates/privacy/notice/<version>_<lang>.html): a new
# version makes every person accept it again at their next sign-in (docs/PRIVACY.md).
PRIVACY_NOTICE_VERSION = "2026.1"
# The data controller named in the notice (UU No. 27/2022: Pengendali Data Pribadi).
PRIVACY_CONTROLLER = {
    "name": os.environ.get("RUANG_PRIVACY_CONTROLLER", "Bappeda Kota Pasuruan"),
    "email": os.environ.get("RUANG_PRIVACY_EMAIL", "privasi@pasuruankota.go.id"),
    "address": os.environ.get(
        "RUANG_PRIVACY_ADDRESS", "Jl. Pahlawan No. 28, Kota Pasuruan, Jawa Timur"
    ),
}
# Retention (privacy/tasks.py purges daily): sign-in records (django-axes attempts and
# access logs) and sign-ups never completed (an account that never signed in, whose
# organisation was never verified, with no comment) older than these many days.
RETENTION_DAYS_LOGIN_LOGS = int(os.environ.get("RETENTION_DAYS_LOGIN_LOGS", "180"))
RETENTION_DAYS_PENDING_REGISTRATIONS = int(
    os.environ.get("RETENTION_DAYS_PENDING_REGISTRATIONS", "90")
)

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
    "knox",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "huey.contrib.djhuey",
    "backend",
    "realtime",
    "accounts",
    "consultations",
    "comments",
    "hearings",
    "voting",
    "aspirations",
    "analysis",
    "notifications",
    "followups",
    "reports",
    "privacy",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "backend.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "backend.middleware.PageLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A changed privacy notice: signed-in pages lead to its accept page (privacy/middleware.py).
    "privacy.middleware.PrivacyNoticeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "backend.middleware.DomainErrorMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into backend.login's 429.
    "axes.middleware.AxesMiddleware",
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
            # One date style on every page (docs/INTERFACE.md): |waktu, |waktu_singkat.
            "builtins": ["backend.templatetags.waktu"],
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
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Whether the default file or DATABASE_URL=sqlite:///…: a writer waits up to 20 s for
    # the lock instead of answering "database is locked" at once, takes it when its
    # transaction begins (IMMEDIATE: two transactions never both read and then both try
    # to write, which SQLite can only resolve by failing one), and WAL lets readers go on
    # beside the writer (the demo's Daphne and its Huey consumer share the file).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
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

# --- Jobs (Huey) ---------------------------------------------------------------
# The clock (consultations/tasks.py: opening and closing consultations on time) and other
# queued work. With HUEY_REDIS_URL, or else REDIS_URL, the queue is in Redis and any number
# of `manage.py run_huey` workers share it (production: docs/DEPLOY.md); without, a SQLite
# file in var/ that the demo's own consumer reads (`manage.py demo` starts it). Under
# pytest jobs run inline, in memory (immediate mode): tests call them and see the result.
HUEY_REDIS_URL = os.environ.get("HUEY_REDIS_URL") or REDIS_URL
HUEY = {
    "name": "ruang",
    "immediate": env_bool("HUEY_IMMEDIATE", "pytest" in sys.modules),
    "consumer": {
        "workers": int(os.environ.get("HUEY_WORKERS", "2")),
        "worker_type": "thread",
    },
}
if HUEY_REDIS_URL:
    HUEY.update(huey_class="huey.RedisHuey", connection={"url": HUEY_REDIS_URL})
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    HUEY.update(
        huey_class="huey.SqliteHuey", connection={"filename": str(VAR_DIR / "huey.sqlite3")}
    )

# --- E-mail (notifications) ---------------------------------------------------
# EMAIL_URL (smtp://, smtp+tls://, smtps://, file://, console://) or the usual EMAIL_HOST…
# variables; without either, mail goes to files in var/mail/ (backend/email_config.py,
# docs/DEPLOY.md "E-mail"). Links in e-mails start with RUANG_SITE_URL.
globals().update(email_settings(os.environ, VAR_DIR))
SITE_URL = os.environ.get("RUANG_SITE_URL", "http://127.0.0.1:8000")

# --- Auth ---------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A password change also ends every API token (accounts.passwords).
AUTH_PASSWORD_VALIDATORS.append({"NAME": "accounts.passwords.RevokeTokensOnPasswordChange"})
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# django-axes checks the lockout before any password (backend/login.py): the site's
# sign-in, the admin's and the API token endpoint all go through authenticate().
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failures are counted per account (from any address) and per client address (over any
# accounts); either reaching the limit within the cool-off locks that account or address
# until the cool-off has passed. Failures while locked do not extend it, so nobody keeps
# an account locked for good; a successful sign-in does not wipe the address's count.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = int(os.environ.get("RUANG_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=int(os.environ.get("RUANG_LOGIN_COOLOFF_MINUTES", "15"))
)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "backend.login.lockout_response"
AXES_CLIENT_IP_CALLABLE = "backend.login.lockout_address"
AXES_VERBOSE = False
# API tokens (django-rest-knox): stored hashed, one per device, expiring after 30 days
# without use (each use pushes the expiry on, at most once a minute).
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(days=int(os.environ.get("RUANG_TOKEN_IDLE_DAYS", "30"))),
    "AUTO_REFRESH": True,
    "MIN_REFRESH_INTERVAL": 60,
    "AUTH_HEADER_PREFIX": "Token",
}
# Client addresses (rate limits, the lockout, API throttles: backend.ratelimit.
# client_address) are REMOTE_ADDR unless this many proxies in front append to
# X-Forwarded-For: 1 behind the nginx of docs/DEPLOY.md. With 0 the header is ignored,
# so a client cannot pick its own address.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))

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
# Enforcing CSP (django-csp): scripts and styles only from our own static files, so an
# injected <script>, style or on*= handler does nothing. Templates carry no inline code
# (tests/security/test_csp_templates.py); backend.middleware adds the page's own ws(s)://
# origin to connect-src. docs/DEPLOY.md, "Content-Security-Policy".
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000_000

# --- REST framework -----------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "accounts.authentication.MemberTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # JSON nested beyond a few dozen levels is a 400 (backend/parsers.py), never a 500.
    "DEFAULT_PARSER_CLASSES": [
        "backend.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "backend.pagination.PagePagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "backend.rest.DomainAutoSchema",
    "EXCEPTION_HANDLER": "backend.errors.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {"auth": "20/min"},
    # Throttles key on backend.ratelimit.client_address (AddressRateThrottle); DRF's own
    # address logic, for any other throttle, trusts the same proxies.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Ruang Dialog API",
    "DESCRIPTION": "Public consultations, comments, votes and live hearings.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # `<id:…>` paths (backend/converters.py): an integer of at most 18 digits.
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": 0, "maximum": 999_999_999_999_999_999}
    },
    "ENUM_NAME_OVERRIDES": {
        "OrganizationStatusEnum": "accounts.models.Organization.Status",
        "InvitationStatusEnum": "accounts.models.Invitation.Status",
        "OrganizationChangeKindEnum": "accounts.models.OrganizationChange.Kind",
        "ConsultationKindEnum": "consultations.models.Consultation.Kind",
        "ConsultationStatusEnum": "consultations.models.Consultation.Status",
        "HearingScreenEnum": "hearings.models.Hearing.Screen",
        "AnalysisStatusEnum": "analysis.models.Analysis.Status",
        "AspirationStatusEnum": "aspirations.models.Aspiration.Status",
        "AspirationStageEnum": "aspirations.models.Stage",
        "DecisionOutcomeEnum": "aspirations.models.Decision.Outcome",
        "ResponseOutcomeEnum": "comments.models.Response.Outcome",
        "AttachmentKindEnum": "aspirations.models.Attachment.Kind",
        "FollowUpStatusEnum": "followups.models.FollowUp.Status",
        "DataLicenseEnum": "consultations.models.Consultation.DataLicense",
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
        {
            "name": "aspirations",
            "description": "Proposals (aspirasi), supports, stage decisions, rankings, rekap.",
        },
        {
            "name": "analysis",
            "description": "Themes, duplicate and campaign groups, written submissions.",
        },
        {"name": "followups", "description": "Follow-up (tindak lanjut) of accepted input."},
        {"name": "notifications", "description": "Your notifications and how you get them."},
        {
            "name": "reports",
            "description": "Exports, the Berita Acara and open data (Frictionless Data Packages).",
        },
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
    # New accounts per client address and hour (sign-up page and API together).
    "SIGNUP_RATE_PER_HOUR": int(os.environ.get("RUANG_SIGNUP_RATE_PER_HOUR", "5")),
    # Once votes are cast, a consultation's closing time moves earlier only to this many
    # hours from now or later (an early close is an official's act, with a reason).
    "CLOSING_NOTICE_HOURS": int(os.environ.get("RUANG_CLOSING_NOTICE_HOURS", "24")),
    # Big screens one hearing's heartbeats may register (a display key is not a login).
    "SCREENS_PER_HEARING": int(os.environ.get("RUANG_SCREENS_PER_HEARING", "10")),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
