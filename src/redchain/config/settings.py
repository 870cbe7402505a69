"""Settings for redchain, read from environment variables with strict parsers.

The embedded default is SQLite under ``var/`` so that ``make demo`` needs no other service;
production sets ``DATABASE_URL`` to PostgreSQL and ``REDIS_URL`` to Redis.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# VAR_DIR holds the embedded database, uploads and other run-time files; never inside the package.
VAR_DIR = Path(environ.Env().str("REDCHAIN_VAR_DIR", default=str(Path.cwd() / "var"))).resolve()

VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "redchain-insecure-debug-only-key"  # noqa: S105 - only reachable with DEBUG on

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'redchain.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server and the background sweep read while another writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "redchain.core",
    "redchain.accounts",
    "redchain.orgs",
    "redchain.audit",
    "redchain.demands",
    "redchain.routing",
    "redchain.mechanisms",
    "redchain.exchange",
    "redchain.pairings",
    "redchain.visits",
    "redchain.taskforces",
    "redchain.partylife",
    "redchain.dashboards",
    "redchain.api",
    "redchain.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "redchain.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "redchain.accounts.middleware.CurrentZoneMiddleware",
    # Axes must be last: it turns locked-out logins into a clear lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "redchain.config.urls"
WSGI_APPLICATION = "redchain.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "redchain.accounts.context_processors.current_zone",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboards:overview"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: five failures per username and address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = env.bool("AXES_VERBOSE", default=False)

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="zh-hans")
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# In development and the demo, whitenoise serves straight from the apps' static folders.
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploads live outside the package and the web root; they are served only through views that check scope.
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Import files are capped so one bad upload cannot exhaust the server.
REDCHAIN_IMPORT_MAX_BYTES = env.int("REDCHAIN_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
REDCHAIN_IMPORT_MAX_ROWS = env.int("REDCHAIN_IMPORT_MAX_ROWS", default=5000)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
X_FRAME_OPTIONS = "DENY"

# The demand loop: how often 不满意 sends a demand back to the department before the zone takes over,
# and the largest attachment accepted.
REDCHAIN_MAX_REDO = env.int("REDCHAIN_MAX_REDO", default=2)
REDCHAIN_ATTACHMENT_MAX_BYTES = env.int("REDCHAIN_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
# The sweep warns this many working hours before a closure deadline.
REDCHAIN_DUE_SOON_HOURS = env.int("REDCHAIN_DUE_SOON_HOURS", default=24)

# Outgoing notifications: a generic webhook (WeCom/DingTalk-style bots; empty URL = off), signed with
# HMAC-SHA256 when a secret is set, and retried with exponential backoff. Email uses EMAIL_URL.
REDCHAIN_WEBHOOK_URL = env.str("REDCHAIN_WEBHOOK_URL", default="")
REDCHAIN_WEBHOOK_SECRET = env.str("REDCHAIN_WEBHOOK_SECRET", default="")
REDCHAIN_WEBHOOK_TIMEOUT = env.int("REDCHAIN_WEBHOOK_TIMEOUT", default=10)
REDCHAIN_DELIVERY_MAX_ATTEMPTS = env.int("REDCHAIN_DELIVERY_MAX_ATTEMPTS", default=6)
REDCHAIN_DELIVERY_BACKOFF_SECONDS = env.int("REDCHAIN_DELIVERY_BACKOFF_SECONDS", default=60)
REDCHAIN_SITE_URL = env.str("REDCHAIN_SITE_URL", default="")
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="redchain@localhost")

# API tokens expire after this many days; a new login issues a new one.
REDCHAIN_API_TOKEN_DAYS = env.int("REDCHAIN_API_TOKEN_DAYS", default=30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Axes logs every successful login at INFO; failures and lockouts (WARNING) are what matter.
    "loggers": {"axes": {"level": "WARNING"}},
}
