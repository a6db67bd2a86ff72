"""Django settings for Beredt.

Everything that differs between a laptop, CI and production comes from the environment
(see docs/operations.md for the full list). The defaults are safe for development:
SQLite in WAL mode at ``var/beredt.sqlite3`` and a development-only secret and field key.
The test suite runs with ``tests/settings.py``, which adds the test-only app to these.
Production sets ``BEREDT_DEBUG=0`` (the default), ``BEREDT_SECRET_KEY``,
``BEREDT_FIELD_KEY``, ``BEREDT_HASH_KEY``, ``BEREDT_ALLOWED_HOSTS`` and ``DATABASE_URL``.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
# Runtime files (the SQLite database, collected static files) go to BEREDT_VAR_DIR, by
# default var/ under BEREDT_HOME: the checkout for a source install (wherever a command is
# run from, so never a stray var/ inside the package), else ~/.local/share/beredt.
_CHECKOUT = BASE_DIR.parents[1]
PROJECT_DIR = Path(os.environ.get("BEREDT_HOME") or (
    _CHECKOUT if (_CHECKOUT / "pyproject.toml").is_file()
    else Path.home() / ".local" / "share" / "beredt"))
VAR_DIR = Path(os.environ.get("BEREDT_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Set by tests/settings.py and by tests for the processes they start: fast password
# hashing, static files from the finders, cookies not limited to HTTPS.
TESTING = env_bool("BEREDT_TESTING")
DEBUG = env_bool("BEREDT_DEBUG", False)
# Development-only fallbacks. `beredt check --deploy` and the production checks in
# beredt.core.checks refuse them when DEBUG is off.
DEV_SECRET_KEY = "dev-insecure-beredt-secret-key-do-not-use-in-production-0123456789"  # noqa: S105
SECRET_KEY = os.environ.get("BEREDT_SECRET_KEY", DEV_SECRET_KEY)
ALLOWED_HOSTS = env_list("BEREDT_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("BEREDT_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Beredt's apps first so their templates and translations win. Named by AppConfig class:
    # each apps.py also imports the shared base class, so Django cannot pick one itself.
    "beredt.core.apps.CoreConfig",
    "beredt.accounts.apps.AccountsConfig",
    "beredt.geo.apps.GeoConfig",
    "beredt.organisations.apps.OrganisationsConfig",
    "beredt.notify.apps.NotifyConfig",
    "beredt.incidents.apps.IncidentsConfig",
    "beredt.activation.apps.ActivationConfig",
    "beredt.directory.apps.DirectoryConfig",
    "beredt.registry.apps.RegistryConfig",
    "beredt.followup.apps.FollowupConfig",
    "beredt.programme.apps.ProgrammeConfig",
    "beredt.volunteers.apps.VolunteersConfig",
    "beredt.initiatives.apps.InitiativesConfig",
    "beredt.support.apps.SupportConfig",
    "beredt.public.apps.PublicConfig",
    "beredt.web.apps.WebConfig",
    # Django and third parties.
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "simple_history",
    "axes",
    "ninja",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "beredt.accounts.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "beredt.core.middleware.RequestContextMiddleware",
    "beredt.core.middleware.RejectNulInQueryMiddleware",
    "beredt.core.middleware.NoStoreMiddleware",
    # AxesMiddleware last: it turns lockouts into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "beredt.urls"
WSGI_APPLICATION = "beredt.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "beredt.core.context_processors.beredt",
                "beredt.web.context_processors.navigation",
            ],
        },
    },
]

# --- Cache -----------------------------------------------------------------------------
# The public self-registration rate limits live in the cache, so every server process must
# share it in production: BEREDT_CACHE_URL=redis://host:6379/0 (Redis) or "db" (a table in
# the database, made by `beredt createcachetable`). Without it, a per-process memory cache
# (development, tests), which `beredt check --deploy` reports.
CACHE_URL = os.environ.get("BEREDT_CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": CACHE_URL, "KEY_PREFIX": "beredt"}}
elif CACHE_URL == "db":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                          "LOCATION": "beredt_cache"}}
elif CACHE_URL:
    raise ImproperlyConfigured(
        f"BEREDT_CACHE_URL must be redis://…, rediss://…, unix://… or db, not {CACHE_URL!r}."
    )
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Database --------------------------------------------------------------------------
# DATABASE_URL selects PostgreSQL (postgres://…) in production and in the CI test run.
# Without it, SQLite in WAL mode: readers never block the writer, and IMMEDIATE
# transactions make concurrent writers queue instead of failing with "database is locked".
CONN_MAX_AGE = int(os.environ.get("BEREDT_CONN_MAX_AGE", "600"))
if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=CONN_MAX_AGE, conn_health_checks=True
        )
    }
else:
    if "BEREDT_SQLITE_PATH" not in os.environ:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("BEREDT_SQLITE_PATH", str(VAR_DIR / "beredt.sqlite3")),
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth and passwords ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Fast hashing in tests only; production always hashes with Argon2.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Lock a username *from one client* out after 5 failed logins for a few minutes
# (django-axes), never the named account for everyone: an attacker elsewhere cannot lock the
# KOP out. The client is the address behind the proxy (core.middleware.client_ip); each
# further try during the cool-off starts it again.
AXES_FAILURE_LIMIT = int(os.environ.get("BEREDT_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=float(os.environ.get("BEREDT_LOGIN_COOLOFF_MINUTES", "5")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "beredt.core.middleware.client_ip"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
# Translations live in each app's locale/ folder (beredt/<app>/locale/da/LC_MESSAGES).
LANGUAGE_COOKIE_NAME = "beredt_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files ----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("BEREDT_STATIC_ROOT", VAR_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# --- Security ------------------------------------------------------------------------------
SECURE = env_bool("BEREDT_SECURE", not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 12 * 60 * 60  # one long shift
# Idle logout (beredt.accounts.middleware): a session without requests for this long ends.
SESSION_IDLE_TIMEOUT = int(os.environ.get("BEREDT_IDLE_TIMEOUT_MINUTES", "30")) * 60
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = SECURE and env_bool("BEREDT_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEREDT_BEHIND_PROXY") else None
)
# How many reverse proxies in front of Beredt append to X-Forwarded-For; the client IP
# (rate limits, audit log) is the entry the outermost of them wrote. 0: REMOTE_ADDR.
TRUSTED_PROXY_HOPS = int(os.environ.get("BEREDT_TRUSTED_PROXY_HOPS", "0"))
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp): no inline scripts, nothing from other hosts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Personal data -----------------------------------------------------------------------
# BEREDT_FIELD_KEY: comma-separated "keyid:base64key" list; the first encrypts, all decrypt
# (key rotation, docs/operations.md). BEREDT_HASH_KEY: key for the keyed look-up hash.
DEV_FIELD_KEY = "dev1:ZGV2LW9ubHktYmVyZWR0LWZpZWxkLWtleS0zMmJ5dGU="
DEV_HASH_KEY = "dev-only-beredt-hash-key"
FIELD_KEYS = os.environ.get("BEREDT_FIELD_KEY", DEV_FIELD_KEY)
HASH_KEY = os.environ.get("BEREDT_HASH_KEY", DEV_HASH_KEY)

# --- Background work ------------------------------------------------------------------------
# django-tasks with the database backend: a task is a row written in the same transaction
# as the data it acts on; `beredt db_worker` runs it.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("BEREDT_TASKS_IMMEDIATE") == "1"
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default", "alerts", "outreach"],
    }
}

# --- E-mail --------------------------------------------------------------------------------
EMAIL_HOST = os.environ.get("BEREDT_SMTP_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("BEREDT_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("BEREDT_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("BEREDT_SMTP_PASSWORD", "")
EMAIL_USE_TLS = env_bool("BEREDT_SMTP_TLS")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("BEREDT_FROM_EMAIL", "beredt@localhost")
if DEBUG and not os.environ.get("BEREDT_SMTP_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Notifications and activation (beredt.notify, beredt.activation) -----------------------
# SMS gateway: JSON POST {"to", "from", "text", "reference"} with this Authorization header.
NOTIFY_SMS_URL = os.environ.get("BEREDT_SMS_GATEWAY_URL", "")
NOTIFY_SMS_AUTH = os.environ.get("BEREDT_SMS_GATEWAY_AUTH", "")
NOTIFY_SMS_SENDER = os.environ.get("BEREDT_SMS_SENDER", "Beredt")
# Plan webhooks: signed with this secret (X-Beredt-Signature, docs/security.md); internal
# addresses (loopback, private, link-local) are refused unless ALLOW_INTERNAL is set.
NOTIFY_WEBHOOK_SECRET = os.environ.get("BEREDT_WEBHOOK_SECRET", "")
NOTIFY_WEBHOOK_ALLOW_INTERNAL = env_bool("BEREDT_WEBHOOK_ALLOW_INTERNAL")
# The SMS gateway's delivery receipts (POST /api/v1/notify/receipts/sms) carry this secret.
NOTIFY_SMS_RECEIPT_SECRET = os.environ.get("BEREDT_SMS_RECEIPT_SECRET", "")
NOTIFY_HTTP_TIMEOUT = float(os.environ.get("BEREDT_NOTIFY_HTTP_TIMEOUT", "10"))
NOTIFY_MAX_ATTEMPTS = int(os.environ.get("BEREDT_NOTIFY_MAX_ATTEMPTS", "4"))
NOTIFY_BACKOFF_SECONDS = float(os.environ.get("BEREDT_NOTIFY_BACKOFF_SECONDS", "2"))
ACTIVATION_ACK_TIMEOUT_SECONDS = int(os.environ.get("BEREDT_ACK_TIMEOUT_SECONDS", "300"))

# --- Social change programme (beredt.programme; docs/programme.md) -------------------------
# Only the hospital refers (seed 003: "today's practice"); add "gp" to let GPs refer.
PROGRAMME_REFERRING_KINDS = env_list(
    "BEREDT_PROGRAMME_REFERRING_KINDS", "region,region_psychiatry,psychiatric_department")
PROGRAMME_ATA_HOURS = int(os.environ.get("BEREDT_PROGRAMME_ATA_HOURS", "32"))
PROGRAMME_FOLLOWUP_HOURS = int(os.environ.get("BEREDT_PROGRAMME_FOLLOWUP_HOURS", "5"))

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "beredt.core.logging.RedactCprFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("BEREDT_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}

# Public base URL used in links sent by SMS/e-mail (acknowledgement links, incident pages).
BASE_URL = os.environ.get("BEREDT_BASE_URL", "http://127.0.0.1:8000")

NINJA_PAGINATION_PER_PAGE = 50
CSRF_FAILURE_VIEW = "beredt.core.views.csrf_failure"
# core.api resolves Bearer tokens through this (core imports no other Beredt app).
API_TOKEN_RESOLVER = "beredt.accounts.tokens.user_for_token"  # noqa: S105 - a dotted path
