"""Settings, read from the environment.

Two ways to run:

* ``KINERJA_ENV=embedded`` (the default, used by ``make run``): one process, SQLite under
  ``var/``, tasks run inline, a secret key generated once into ``var/secret_key``.
* ``KINERJA_ENV=production``: every secret and host comes from the environment and the
  security settings are strict; ``kinerja check --deploy`` is clean.

Every variable is documented in ``docs/operations.md``.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KINERJA_VAR_DIR", BASE_DIR / "var"))

KINERJA_ENV = os.environ.get("KINERJA_ENV", "embedded")
if KINERJA_ENV not in {"embedded", "production"}:
    raise ImproperlyConfigured("KINERJA_ENV must be 'embedded' or 'production'.")
PRODUCTION = KINERJA_ENV == "production"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when KINERJA_ENV=production.")
    # Embedded: one random key per installation, kept beside the database so that sessions
    # survive a restart. Never committed; var/ is ignored by git.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
# Demo mode allows `kinerja demo load` and the shared demo password; never on by default, and
# never in production: the demo password is published (README), it would open every account.
DEMO_MODE = env_bool("KINERJA_DEMO", False)
if PRODUCTION and DEMO_MODE:
    raise ImproperlyConfigured(
        "KINERJA_DEMO must be off when KINERJA_ENV=production: the demo password is published."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when KINERJA_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "axes",
    "csp",
    "django_tasks",
    "kinerja.core",
    "kinerja.accounts",
    "kinerja.organizations",
    "kinerja.strategy",
    "kinerja.streams",
    "kinerja.skp",
    "kinerja.evaluations",
    "kinerja.portal",
    "kinerja.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kinerja.core.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The saved language of the user, never the browser's; the API in English after it.
    "kinerja.accounts.middleware.UserLanguageMiddleware",
    "kinerja.core.middleware.ApiLanguageMiddleware",
    "kinerja.core.middleware.PagesLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kinerja.core.middleware.AuditContextMiddleware",
    # Axes last, as its documentation asks: it turns lockouts into a clear answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kinerja.urls"
WSGI_APPLICATION = "kinerja.wsgi.application"

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
                "csp.context_processors.nonce",
                "kinerja.portal.context_processors.kinerja",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
_default_sqlite = f"sqlite:///{VAR_DIR / 'kinerja.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or _default_sqlite,
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at
        # the start of a transaction, so two writers queue instead of failing half-way.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (import progress, rate limits) ---------------------------------------------------
_cache_url = os.environ.get("CACHE_URL", "")
if _cache_url.startswith(("redis://", "rediss://")):
    # Needs the `redis` package: pip install "kinerja[redis]".
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
        }
    }
elif _cache_url == "locmem://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # A file cache is shared by every process on one machine: the embedded default.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": _cache_url.removeprefix("file://") or str(VAR_DIR / "cache"),
        }
    }

# --- Background work ------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "KINERJA_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# --- Accounts and sign-in -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "kinerja.accounts.backends.NipOrUsernameBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout: after AXES_FAILURE_LIMIT wrong passwords for one account the account is locked for
# the cool-off time; an administrator's password reset unlocks it at once.
AXES_FAILURE_LIMIT = int(os.environ.get("KINERJA_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("KINERJA_LOCKOUT_MINUTES", "15")))
# Per account, not per address: an office's staff share one public IP behind NAT, and a lock
# per address would lock the whole office. Addresses are throttled separately, at a higher
# limit, by kinerja.accounts.throttle (which is why axes.W006 is silenced below).
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
KINERJA_SIGNIN_FAILURES_PER_ADDRESS = int(
    os.environ.get("KINERJA_SIGNIN_FAILURES_PER_ADDRESS", "50")
)
# Wrong API tokens from one address in 15 minutes before it gets 429 (kinerja.accounts.throttle).
KINERJA_TOKEN_FAILURES_PER_ADDRESS = int(os.environ.get("KINERJA_TOKEN_FAILURES_PER_ADDRESS", "20"))
AXES_USERNAME_CALLABLE = "kinerja.accounts.backends.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kinerja.accounts.views.lockout_response"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("KINERJA_PROXY_COUNT", "0")) or None

SESSION_COOKIE_AGE = int(os.environ.get("KINERJA_SESSION_HOURS", "10")) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Security headers -------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("KINERJA_BEHIND_TLS_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Language, time zone, formats -----------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "kinerja" / "locale"]
TIME_ZONE = os.environ.get("KINERJA_TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["kinerja.formats"]
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

# --- Files ------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end libraries come from npm (package.json, package-lock.json; `npm ci` in the Makefile)
# and are served from here like our own files — never from a CDN. In production, run
# `collectstatic` where `npm ci` ran (or point KINERJA_NODE_MODULES at that node_modules).
NODE_MODULES = Path(os.environ.get("KINERJA_NODE_MODULES", BASE_DIR / "node_modules"))
STATICFILES_DIRS = [("vendor/chart.js", NODE_MODULES / "chart.js" / "dist")]
if not PRODUCTION:
    # WhiteNoise serves from the finders here; the folder only has to exist.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Private files (uploads, evidence) live outside any web root and are served only by views that
# check who may see them; there is deliberately no MEDIA_URL.
PRIVATE_ROOT = Path(os.environ.get("KINERJA_PRIVATE_DIR", VAR_DIR / "private"))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Embedded: serve app and package assets straight from their folders, no collectstatic step.
WHITENOISE_USE_FINDERS = not PRODUCTION
KINERJA_MAX_UPLOAD_MB = int(os.environ.get("KINERJA_MAX_UPLOAD_MB", "20"))
KINERJA_MAX_EVIDENCE_MB = int(os.environ.get("KINERJA_MAX_EVIDENCE_MB", "10"))
# The place written beside the date of signature on official documents (SKP, evaluation);
# empty: the region's name without "Pemerintah Kota/Kabupaten" (Pemerintah Kota Palembang →
# Palembang).
KINERJA_DOCUMENT_PLACE = os.environ.get("KINERJA_DOCUMENT_PLACE", "")
# The share of cases within the SLA that the service dashboards draw as their target line.
KINERJA_STREAM_SLA_TARGET_PCT = int(os.environ.get("KINERJA_STREAM_SLA_TARGET_PCT", "90"))
# Event batches per second that one service token may send before it is asked to slow down.
KINERJA_INGEST_REQUESTS_PER_SECOND = int(
    os.environ.get("KINERJA_INGEST_REQUESTS_PER_SECOND", "200")
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024 + 64 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "kinerja@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint reports every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        # One line per task run (the cases catch up after every batch of events).
        "django_tasks": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
