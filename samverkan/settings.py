"""Settings for Samverkan, read from the environment.

Two modes: the embedded default (SQLite under var/, console e-mail, generated secret key) and
production (SAMVERKAN_PRODUCTION=true: secret key, allowed hosts and HTTPS required).
Municipalities differ by rows in the database, never by settings.
"""

from __future__ import annotations

from pathlib import Path

import csp.constants as csp
import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from samverkan.env import env_bool, env_int, env_list, env_str, persistent_secret_key

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("SAMVERKAN_VAR_DIR", str(PACKAGE_DIR.parent / "var"))).resolve()

PRODUCTION = env_bool("SAMVERKAN_PRODUCTION", False)
DEBUG = env_bool("SAMVERKAN_DEBUG", not PRODUCTION)
TESTING = env_bool("SAMVERKAN_TESTING", False)

if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY (at least 50 characters) is required in production mode.")
else:
    SECRET_KEY = env_str("SECRET_KEY") or persistent_secret_key(VAR_DIR)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required in production mode.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "huey.contrib.djhuey",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "samverkan.core",
    "samverkan.agreements",
    # In the floors' order (ARCHITECTURE.md): the registry runs reference, demo and bench loaders in this
    # order, and a step's demo needs the statistics below it (an action's indicator and target line).
    "samverkan.indicators",
    "samverkan.situation",
    "samverkan.analysis",
    "samverkan.actions",
    "samverkan.meetings",
    "samverkan.surveys",
    "samverkan.reports",
    "samverkan.portal",
    "samverkan.api",
    "samverkan.bench",  # the `samverkan bench` command (no models, no URLs)
]
SOCIALACCOUNT_ENABLED = env_bool("SAMVERKAN_SOCIALACCOUNT", False)
if SOCIALACCOUNT_ENABLED:  # OIDC/SAML identity providers, configured in the admin (see README).
    INSTALLED_APPS += [
        "allauth.socialaccount",
        "allauth.socialaccount.providers.openid_connect",
    ]
    if env_bool("SAMVERKAN_SAML", False):
        INSTALLED_APPS.append("allauth.socialaccount.providers.saml")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "samverkan.core.middleware.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "samverkan.core.headers.SecurityHeadersMiddleware",
    "samverkan.core.audit.ReadAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "samverkan.core.middleware.RequireMfaMiddleware",
]

ROOT_URLCONF = "samverkan.urls"
WSGI_APPLICATION = "samverkan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                # After Django's built-in csrf processor: the token's placeholder in a cached public page.
                "samverkan.portal.cache.csrf_placeholder",
            ],
        },
    },
]

# Django's widget markup built in Python, not through a template per widget (a report form has ~130).
FORM_RENDERER = "samverkan.core.formrender.WidgetRenderer"

# --- Database -----------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'samverkan.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and one writer work at once; IMMEDIATE avoids "database is locked"
        # upgrades from read to write transactions under concurrent requests.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
            " PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and jobs -----------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The live joint picture is cached under the collaboration's situation revision, a number in the database
# (situation/revision.py): every process agrees on it, and what a key holds never changes, so the cache
# may be Redis or each process's own memory. On by default everywhere; SAMVERKAN_PICTURE_CACHE=false
# builds every view afresh.
SITUATION_PICTURE_CACHE = env_bool("SAMVERKAN_PICTURE_CACHE", True)

# Without a worker the embedded default runs jobs in-process (immediate); production sets
# SAMVERKAN_HUEY_IMMEDIATE=false and runs `samverkan run_huey`.
HUEY_IMMEDIATE = env_bool("SAMVERKAN_HUEY_IMMEDIATE", not PRODUCTION)
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "samverkan",
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the queue's file lives there, whatever the database
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "samverkan",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
    }

# --- Authentication -----------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:start"
ACCOUNT_LOGOUT_REDIRECT_URL = "core:start"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "samverkan.core.auth.AccountAdapter"
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    # Failed logins are throttled per account (e-mail) and, loosely, per IP: a town hall shares one address.
    "login_failed": env_str("SAMVERKAN_LOGIN_RATE", "60/10m/ip,5/5m/key"),
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Samverkan"
SOCIALACCOUNT_ADAPTER = "samverkan.core.auth.SocialAccountAdapter"

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Serve straight from the app folders unless collectstatic has been run (production).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# --- E-mail -------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Samverkan <noreply@samverkan.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security -----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SAMVERKAN_SESSION_SECONDS", 8 * 3600)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A strict Content-Security-Policy (django-csp): our own files only, no inline script or style, no eval.
# The one inline style is the self-contained 500 page's, allowed by its hash (a test keeps it in step).
ERROR_PAGE_STYLE_HASH = "'sha256-XYl89pWQGGDTnp43dC1B4zdYu3LGFYgSrqcskHI9vKU='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF, ERROR_PAGE_STYLE_HASH],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.NONE],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    }
}
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every step of a PDF at INFO; only its warnings are worth a log line.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Samverkan ----------------------------------------------------------------------------
SAMVERKAN_SITE_NAME = env_str("SAMVERKAN_SITE_NAME", "Samverkan")
# Path of the shared reference data folder (optional; tests and demo may read real data from it).
SAMVERKAN_SHARED_DATA = env_str("SAMVERKAN_SHARED_DATA", "")
# Absolute address used in e-mails (invitation and reminder links).
SAMVERKAN_BASE_URL = env_str("SAMVERKAN_BASE_URL", "http://127.0.0.1:8000")
# Meeting reminders go out this many days before a meeting (once per meeting).
SAMVERKAN_MEETING_REMINDER_DAYS = env_int("SAMVERKAN_MEETING_REMINDER_DAYS", 3)
# Map background tiles, e.g. "https://tiles.example.org/{z}/{x}/{y}.png" (empty: the kommun boundary on a
# plain background, so no page ever calls an outside server unless an operator chooses one).
SAMVERKAN_MAP_TILE_URL = env_str("SAMVERKAN_MAP_TILE_URL", "")
if SAMVERKAN_MAP_TILE_URL:
    # The operator's tile server is the one outside origin a page may load images from.
    _tiles = SAMVERKAN_MAP_TILE_URL.split("/{", 1)[0].replace("{s}.", "*.")
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(_tiles)
# Counts below this (events in a hexagon, crimes in a DeSO, a cell of the hour × weekday table) are hidden or
# merged in every view that is not begränsad, so that no person can be singled out from small numbers.
SAMVERKAN_SMALL_COUNT_THRESHOLD = env_int("SAMVERKAN_SMALL_COUNT_THRESHOLD", 5)
# Polling the police's open events API (polisen.se/api/events). Off by default: a deployment without
# internet imports files instead. The API asks for a User-Agent that identifies the caller, at least 10 s
# between calls and at most 60 calls an hour; samverkan.indicators.polling keeps those rules.
SAMVERKAN_POLICE_POLL = env_bool("SAMVERKAN_POLICE_POLL", False)
SAMVERKAN_POLICE_API_URL = env_str("SAMVERKAN_POLICE_API_URL", "https://polisen.se/api/events")
SAMVERKAN_POLICE_API_USER_AGENT = env_str("SAMVERKAN_POLICE_API_USER_AGENT", "")
# Files from outside (statistics tables, police events), for the upload pages and the commands alike: the
# largest file per kind (MB, checked before it is read), what a packed file (XLSX, gzip) may unpack to, and
# a table's rows and columns. A larger file is refused with a message that names the limit.
SAMVERKAN_UPLOAD_MAX_MB_TABLE = env_int("SAMVERKAN_UPLOAD_MAX_MB_TABLE", 50)
SAMVERKAN_UPLOAD_MAX_MB_POLICE = env_int("SAMVERKAN_UPLOAD_MAX_MB_POLICE", 200)
SAMVERKAN_UPLOAD_MAX_MB_UNPACKED = env_int("SAMVERKAN_UPLOAD_MAX_MB_UNPACKED", 500)
SAMVERKAN_UPLOAD_MAX_ROWS = env_int("SAMVERKAN_UPLOAD_MAX_ROWS", 1_000_000)
SAMVERKAN_UPLOAD_MAX_COLUMNS = env_int("SAMVERKAN_UPLOAD_MAX_COLUMNS", 200)
# Uploaded files above 2.5 MB stream to a temporary file, never into memory; other form data above 2.5 MB
# is refused (Django's defaults, stated here because the upload limits rely on them).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
NINJA_PAGINATION_PER_PAGE = 100
NINJA_PAGINATION_MAX_LIMIT = 1000

# Backups (`samverkan backup` / `restore`): where they go and how many the folder keeps.
BACKUP_DIR = Path(env_str("SAMVERKAN_BACKUP_DIR", str(VAR_DIR / "backups"))).resolve()
BACKUP_KEEP = env_int("SAMVERKAN_BACKUP_KEEP", 14)

# API tokens expire: how many days a new one is valid (at most 730).
API_TOKEN_DAYS = env_int("SAMVERKAN_API_TOKEN_DAYS", 365)

# Gallring: years per kind of content, overriding the apps' defaults ("situation.events=3,core.audit=12");
# `samverkan gallra` lists what is due, `samverkan gallra --execute` removes it.
RETENTION = env_str("SAMVERKAN_RETENTION", "")

# --- Public portal and the accessibility statement (tillgänglighetsredogörelse) ---------------------
# Sites allowed to frame the kommun embed page (the kommuner's own websites); "*" any site, the page being
# public and without a form. Every other page refuses to be framed.
SAMVERKAN_EMBED_FRAME_ANCESTORS = env_list("SAMVERKAN_EMBED_FRAME_ANCESTORS", ["*"])
# The body that runs this deployment, where accessibility feedback goes, and the statement's facts.
SAMVERKAN_OPERATOR_NAME = env_str("SAMVERKAN_OPERATOR_NAME", SAMVERKAN_SITE_NAME)
SAMVERKAN_OPERATOR_EMAIL = env_str("SAMVERKAN_OPERATOR_EMAIL", "")
SAMVERKAN_ACCESSIBILITY_COMPLIANCE = env_str("SAMVERKAN_ACCESSIBILITY_COMPLIANCE", "partial")
SAMVERKAN_ACCESSIBILITY_ASSESSED_ON = env_str("SAMVERKAN_ACCESSIBILITY_ASSESSED_ON", "2026-12-07")
SAMVERKAN_ACCESSIBILITY_UPDATED_ON = env_str("SAMVERKAN_ACCESSIBILITY_UPDATED_ON", "2026-12-07")
# Anonymous feedback messages accepted per address and hour (a town hall shares one address).
SAMVERKAN_FEEDBACK_PER_HOUR = env_int("SAMVERKAN_FEEDBACK_PER_HOUR", 10)
