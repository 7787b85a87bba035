"""Settings shared by every environment. Everything a deployment changes comes from the
environment (12-factor); see docs/admin.md for the full list."""

from __future__ import annotations

import zoneinfo
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("RESUELVE_DATA_DIR", str(Path.cwd() / "var")))

INSECURE_SECRET_KEY = "resuelve-insecure-development-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", INSECURE_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # its bundled Swagger UI files: the API docs need no CDN
    "resuelve.core",
    "resuelve.accounts",
    "resuelve.customers",
    "resuelve.complaints",
    "resuelve.notifications",
    "resuelve.deadlines",
    "resuelve.triage",
    "resuelve.routing",
    "resuelve.remedies",
    "resuelve.resolution",
    "resuelve.intake",
    "resuelve.followup",
    "resuelve.revisits",
    "resuelve.conduct",
    "resuelve.watchers",
    "resuelve.social",
    "resuelve.analytics",
    "resuelve.reports",
    "resuelve.people",
    "resuelve.earlywarning",
    "resuelve.campaigns",
    "resuelve.themes",
    "resuelve.guidance",
    "resuelve.api",
    "resuelve.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "resuelve.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "resuelve.urls"
WSGI_APPLICATION = "resuelve.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "resuelve.core.context_processors.product",
                "resuelve.core.context_processors.staff_navigation",
            ],
        },
    },
]

# Database: DATABASE_URL, SQLite in WAL mode by default.
DEFAULT_SQLITE = DATA_DIR / "resuelve.sqlite3"
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE}")
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
except (ValueError, KeyError) as exc:
    raise ImproperlyConfigured(
        f"DATABASE_URL={DATABASE_URL!r} is not a database URL: {exc}"
    ) from exc
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue on a lock file rather than on SQLite's sleeping busy handler
    # (resuelve/core/db/sqlite/base.py); connections are kept like PostgreSQL's.
    _db["ENGINE"] = "resuelve.core.db.sqlite"
    # Tests run in memory, one database per test process (as Django's own SQLite backend
    # does; pytest-django recognises that one only by its engine name).
    _db["TEST"] = {"NAME": ":memory:"}
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA busy_timeout=20000; PRAGMA cache_size=-64000; PRAGMA mmap_size=268435456;"
        ),
    }
    if _db["NAME"] not in ("", ":memory:"):
        Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
elif _db["ENGINE"] == "django.db.backends.postgresql":
    _db.setdefault("OPTIONS", {})
    # Parameters are bound on the server and a statement a connection has run five times is
    # prepared: PostgreSQL stops parsing and planning the same intake statements again (a
    # third of their cost). Off for a PgBouncer older than 1.21 in transaction mode.
    if env_bool("DB_SERVER_SIDE_BINDING", True):
        _db["OPTIONS"]["server_side_binding"] = True
        _db["OPTIONS"]["prepare_threshold"] = env_int("DB_PREPARE_THRESHOLD", 5)
_db["ATOMIC_REQUESTS"] = False
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "complaints:queue"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Internationalisation: en is the source language.
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "es")
LANGUAGES = [
    ("es", _("Spanish")),
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
    ("et", _("Estonian")),
]
if LANGUAGE_CODE not in {code for code, _name in LANGUAGES}:
    raise ImproperlyConfigured(
        f"LANGUAGE_CODE={LANGUAGE_CODE!r} is not served; choose one of es, en, zh-hans, et."
    )
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "America/Bogota")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
    raise ImproperlyConfigured(f"TIME_ZONE={TIME_ZONE!r} is not a known time zone.") from exc
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# E-mail: EMAIL_URL, e.g. smtp://user:pass@mail.example.com:587/?tls=True
EMAIL_URL = env_str("EMAIL_URL", "console://")
try:
    _email = dj_email_url.parse(EMAIL_URL)
except Exception as exc:  # dj-email-url raises bare errors on unknown schemes
    raise ImproperlyConfigured(f"EMAIL_URL={EMAIL_URL!r} is not an e-mail URL: {exc}") from exc
if "EMAIL_BACKEND" not in _email:  # ...and returns no backend for others
    raise ImproperlyConfigured(f"EMAIL_URL={EMAIL_URL!r} is not an e-mail URL: unknown scheme")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH") or str(DATA_DIR / "mail")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Resuelve <no-reply@localhost>")

# Background work: django-tasks with the database as the queue by default. The same task
# code runs on RQ (django-tasks-rq) by setting TASKS_BACKEND.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "resuelve.core.tasks.DatabaseBackend"),
    }
}

# Cache: per-process memory by default; CACHE_URL=redis://host:6379/0 shares it between app
# servers (login throttling counts across all of them then).
CACHE_URL = env_str("CACHE_URL", "locmem://")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
elif CACHE_URL == "locmem://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(f"CACHE_URL={CACHE_URL!r}: use locmem:// or redis://host:port/db.")
LOGIN_ATTEMPTS_PER_15_MIN = env_int("LOGIN_ATTEMPTS_PER_15_MIN", 10)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
CSRF_FAILURE_VIEW = "resuelve.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# Product settings.
RESUELVE_COMPANY_NAME = env_str("RESUELVE_COMPANY_NAME", "Resuelve")
# Until the deadline policies of the triage issue land: acknowledge within a day, answer
# within this many calendar days (Estonia's 15 days; Colombia's 15 business days is longer).
RESUELVE_ACK_HOURS = env_int("RESUELVE_ACK_HOURS", 24)
RESUELVE_ANSWER_DAYS = env_int("RESUELVE_ANSWER_DAYS", 15)
# The deadline policy new complaints fall under (a code from the admin's deadline policies,
# e.g. co-ley-1755); empty: the flat terms above, in calendar time.
RESUELVE_DEADLINE_POLICY = env_str("RESUELVE_DEADLINE_POLICY", "")
# Warn staff at these percentages of a case's answer term (resuelve.deadlines.jobs).
RESUELVE_DEADLINE_WARNINGS = env_list("RESUELVE_DEADLINE_WARNINGS", ["50", "75", "90"])
# Routing uses the suggested category of a new complaint only at this confidence or above
# (percent); below it the case waits for the front-line desk unless a rule routes it.
RESUELVE_ROUTING_MIN_CONFIDENCE = env_int("RESUELVE_ROUTING_MIN_CONFIDENCE", 50) / 100
# Deadlines: managers hear of a breached case this long after its supervisor; task workers
# beat this often, and a task running longer than the timeout on a silent worker is re-queued.
RESUELVE_ESCALATE_MANAGER_AFTER_HOURS = env_int("RESUELVE_ESCALATE_MANAGER_AFTER_HOURS", 24)
RESUELVE_WORKER_HEARTBEAT_SECONDS = env_int("RESUELVE_WORKER_HEARTBEAT_SECONDS", 10)
RESUELVE_TASK_TIMEOUT_SECONDS = env_int("RESUELVE_TASK_TIMEOUT_SECONDS", 3600)
RESUELVE_QUEUE_PAGE_SIZE = env_int("RESUELVE_QUEUE_PAGE_SIZE", 25)
RESUELVE_MAX_DISPUTE_ROUNDS = env_int("RESUELVE_MAX_DISPUTE_ROUNDS", 2)
# Categories whose solutions only a manager approves (contract disputes; REQUIREMENTS D2, C6).
RESUELVE_SENIOR_CATEGORIES = env_list("RESUELVE_SENIOR_CATEGORIES", ["contrato"])
RESUELVE_LESSON_REQUIRED_TO_CLOSE = env_bool("RESUELVE_LESSON_REQUIRED_TO_CLOSE", False)
# Improvement actions: how long after one is done its effectiveness is checked (days).
RESUELVE_EFFECTIVENESS_DAYS = env_int("RESUELVE_EFFECTIVENESS_DAYS", 90)
RESUELVE_CURRENCY = env_str("RESUELVE_CURRENCY", "COP")
# ISO 3166 code of the company's country: whose public holidays are customers' occasions when a
# customer has none of their own; blank: the deadline policy's country.
RESUELVE_COUNTRY = env_str("RESUELVE_COUNTRY", "")
# Satisfaction surveys (resuelve.followup): sent this long after resolution, reminded on
# these days after sending, answerable this long; these scores or lower open a follow-up task.
RESUELVE_SURVEY_DELAY_HOURS = env_int("RESUELVE_SURVEY_DELAY_HOURS", 24)
RESUELVE_SURVEY_REMINDER_DAYS = env_list("RESUELVE_SURVEY_REMINDER_DAYS", ["3"])
RESUELVE_SURVEY_EXPIRY_DAYS = env_int("RESUELVE_SURVEY_EXPIRY_DAYS", 14)
RESUELVE_SURVEY_LOW_CSAT = env_int("RESUELVE_SURVEY_LOW_CSAT", 2)
RESUELVE_SURVEY_LOW_NPS = env_int("RESUELVE_SURVEY_LOW_NPS", 6)
# Text messages and messaging apps go through one generic HTTP gateway (docs/surveys.md):
# a signed JSON POST; blank URL: those channels are not used.
RESUELVE_SMS_GATEWAY_URL = env_str("RESUELVE_SMS_GATEWAY_URL", "")
RESUELVE_SMS_GATEWAY_SECRET = env_str("RESUELVE_SMS_GATEWAY_SECRET", "")
RESUELVE_MESSAGING_GATEWAY_URL = env_str("RESUELVE_MESSAGING_GATEWAY_URL", "")
# Where customers reach the portal: used for the private links in e-mails.
RESUELVE_PUBLIC_URL = env_str("RESUELVE_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# The address customers write and reply to (the SMTP intake or the polled mailbox); set as
# Reply-To on every e-mail to a customer so their answers join the case.
RESUELVE_INTAKE_ADDRESS = env_str("RESUELVE_INTAKE_ADDRESS", "")
# Public portal and API abuse limits, per client address.
RESUELVE_FILINGS_PER_HOUR = env_int("RESUELVE_FILINGS_PER_HOUR", 20)
RESUELVE_LOOKUPS_PER_15_MIN = env_int("RESUELVE_LOOKUPS_PER_15_MIN", 20)
# REST API: requests per token per minute (0: no limit), and failed authentications per
# client address per minute. Counted per process unless CACHE_URL is shared.
RESUELVE_API_REQUESTS_PER_MINUTE = env_int("RESUELVE_API_REQUESTS_PER_MINUTE", 20000)
RESUELVE_API_AUTH_FAILURES_PER_MINUTE = env_int("RESUELVE_API_AUTH_FAILURES_PER_MINUTE", 60)
# Outbox: how many times a notification is tried before it is given up (with backoff).
RESUELVE_OUTBOX_MAX_ATTEMPTS = env_int("RESUELVE_OUTBOX_MAX_ATTEMPTS", 8)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
