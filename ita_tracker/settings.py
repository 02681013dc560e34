"""Settings for ITA Tracker, read from the environment.

Development is the default (``DEBUG`` unset or ``1``): SQLite in ``var/``, a throw-away secret key,
e-mail printed on the console. ``DEBUG=0`` means production: the process refuses to start unless
``SECRET_KEY`` is a real secret and ``ALLOWED_HOSTS`` is set, and ``manage.py check --deploy``
reports nothing.

Environment variables:
    DEBUG                 ``0`` for production (default ``1``).
    SECRET_KEY            required in production; at least 50 characters.
    ALLOWED_HOSTS         comma-separated host names; required in production.
    CSRF_TRUSTED_ORIGINS  comma-separated origins (``https://ita.example.go.th``), if behind a proxy.
    DATABASE_URL          ``postgres://user@host:5432/name``; SQLite in ``DATA_DIR`` when unset.
    DATA_DIR              where SQLite and uploaded files live (default ``<project>/var``).
    EMAIL_URL-less mail:  EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
                          EMAIL_USE_TLS, DEFAULT_FROM_EMAIL.
    SECURE_SSL_REDIRECT   ``0`` when TLS ends at a proxy that already redirects (default ``1``).
    REDIS_URL, JOBS_BACKEND, JOBS_RESULT_HOURS, JOBS_MAX_ATTEMPTS, CELERY_TASK_TIME_LIMIT,
    CELERY_WORKER_MAX_MEMORY_PER_CHILD, CELERY_VISIBILITY_TIMEOUT, NOTIFY_CHANNELS: background jobs and
                          notifications (below, and the README's Configuration table).
    REMINDERS_HOUR, REMINDER_WAITING_DAYS, REMINDER_STALE_DAYS, REMINDER_ROUND_DAYS, LINE_API_BASE:
                          the daily reminders and the LINE channel (below).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ita_tracker.env import env, env_bool, env_list

# pyHanko (sealed memos) brings lxml, which openpyxl would then use for every workbook: keep openpyxl on the
# standard library's XML, as the bounded import (assessments/transfer.py) and the workbook tests were measured with.
os.environ.setdefault("OPENPYXL_LXML", "False")

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env("DATA_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)

_DEV_SECRET_KEY = "django-insecure-development-only-never-use-in-production"
SECRET_KEY = env("SECRET_KEY", "" if not DEBUG else _DEV_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if not DEBUG else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

if not DEBUG:
    # Django's own deploy check only warns about a weak key; a production process must not start.
    if not SECRET_KEY or SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "DEBUG=0 needs a real SECRET_KEY (at least 50 random characters), e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DEBUG=0 needs ALLOWED_HOSTS (comma-separated host names).")

INSTALLED_APPS = [
    # The foundation (jobs, notifications, workbooks, hooks; see ita_tracker/apps.py). First, so that its
    # ``runserver`` (which starts the embedded job worker) replaces staticfiles' one.
    "ita_tracker.apps.ItaTrackerConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    # Second factor at memo decisions (agencies.identity): authenticator apps and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "agencies",
    "assessments",
    "measures",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Static files straight from the application server (gunicorn), compressed and cached forever in production.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's, except that job-status polling does not extend the session (ita_tracker/middleware.py).
    "ita_tracker.middleware.SessionMiddleware",
    "ita_tracker.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The address links in e-mail use when SITE_URL is unset (ita_tracker.site).
    "ita_tracker.site.SiteURLMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Nothing a logged-in person sees (pages, PDFs, evidence) is kept by proxies or the browser's disk cache.
    "ita_tracker.middleware.PrivateNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "agencies.middleware.CurrentAgencyMiddleware",
    # Thai 404/500 pages under DEBUG as well (ita_tracker.middleware.ThaiErrorPagesMiddleware).
    "ita_tracker.middleware.ThaiErrorPagesMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during the request into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ita_tracker.urls"

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
                "agencies.context_processors.current_agency",
                "reports.context_processors.inbox",
                "ita_tracker.context_processors.unread_notifications",
            ],
            "builtins": ["ita_tracker.templatetags.thai"],
        },
    },
]

WSGI_APPLICATION = "ita_tracker.wsgi.application"

DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if not DATABASE_URL:
    # SQLite needs its folder to exist before the first connection.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{DATA_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(env("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Under make run the embedded worker writes (sealing, jobs) while requests write (sessions, audit). SQLite's
    # default deferred transactions fail at once with "database is locked" when a reader must become a writer
    # while another connection writes; IMMEDIATE takes the write lock at BEGIN, so the busy timeout applies and
    # the second writer waits instead (Django 5.1 "transaction_mode"). WAL lets pages read while a job writes.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "ita_tracker.passwords.ThaiMinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes checks for a lockout before the model backend checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Thai first; English through the language switch (django.views.i18n.set_language).
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("ไทย")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "ita_language"
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Files on object storage when there is more than one machine (issue 17): every file (evidence, emblems, sealed
# memos, job results) goes through Django's storage API. STORAGE_BACKEND=s3 keeps them in an S3-compatible bucket
# (AWS, MinIO, Ceph, a Thai cloud's object store) through django-storages: private objects, never a public URL;
# downloads still stream through the views that check permissions first. Local files (MEDIA_ROOT) otherwise.
STORAGE_BACKEND = env("STORAGE_BACKEND", "local")
if STORAGE_BACKEND == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET", ""),
            "endpoint_url": env("S3_ENDPOINT_URL", "") or None,
            "region_name": env("S3_REGION", "") or None,
            "access_key": env("S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env("S3_SECRET_ACCESS_KEY", "") or None,
            "location": env("S3_PREFIX", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if not STORAGES["default"]["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs S3_BUCKET.")
elif STORAGE_BACKEND != "local":
    raise ImproperlyConfigured("STORAGE_BACKEND must be local or s3.")
# Uploaded files (emblems, evidence) are private: they live outside the web root and are served
# by views that check permissions first, never by a static URL.
MEDIA_ROOT = DATA_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Mail: SMTP when EMAIL_HOST is set (always in production). In development without EMAIL_HOST, mail goes to
# files under DATA_DIR/mail (one file per message), so commands such as load_demo print no raw e-mails.
_EMAIL_HOST = env("EMAIL_HOST", "")
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG and not _EMAIL_HOST
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
EMAIL_HOST = _EMAIL_HOST or "localhost"
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "ITA Tracker <no-reply@localhost>")
# The address people open the application at, for links in e-mail. Unset: the address the person acting was
# using (the request's, captured when they act), so a server on another port or host links to itself.
SITE_URL = env("SITE_URL", "")
# "Today" for the cycle dashboard and the demo (ita_tracker.clock); development only.
ITA_TODAY = env("ITA_TODAY", "") if DEBUG else ""
# Django's English technical error pages under DEBUG instead of the Thai ones (for debugging).
DEBUG_TECHNICAL_ERRORS = env_bool("DEBUG_TECHNICAL_ERRORS", False)

# Sessions end after an hour without activity (shared office computers).
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(60 * 60)))
# Saved when a fifth of the idle limit has passed, not on every request (ita_tracker/sessions.py): the idle
# limit is then 55-60 minutes. Expired sessions are deleted by the workers' housekeeping (clearsessions).
SESSION_ENGINE = "ita_tracker.sessions"
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_SECONDS = int(env("SESSION_TOUCH_SECONDS", str(min(300, SESSION_COOKIE_AGE // 5))))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Login throttling (django-axes): five wrong passwords for one user name from one address lock that pair out
# for 15 minutes, counted from the lockout (attempts during it do not extend it). Another user name from the same
# office address, or the same user name from another address, still logs in, so a guesser cannot lock a whole
# office out. Attempts are stored in the database and listed in the Django admin, where they can be cleared.
# Behind a reverse proxy the address is read from the header named by TRUSTED_PROXY_HEADER only (see
# ita_tracker/clientip.py); without it a client's own X-Forwarded-For is ignored and REMOTE_ADDR counts.
TRUSTED_PROXY_HEADER = env("TRUSTED_PROXY_HEADER", "")
AXES_CLIENT_IP_CALLABLE = "ita_tracker.clientip.client_ip"
# Password-reset mails (agencies.accounts): at most this many per address, per account and (requests) per client
# address within the window; further requests get the same "mail sent" page and no mail.
PASSWORD_RESET_WINDOW = int(env("PASSWORD_RESET_WINDOW", "3600"))
PASSWORD_RESET_PER_ADDRESS = int(env("PASSWORD_RESET_PER_ADDRESS", "3"))
PASSWORD_RESET_PER_ACCOUNT = int(env("PASSWORD_RESET_PER_ACCOUNT", "3"))
PASSWORD_RESET_PER_CLIENT = int(env("PASSWORD_RESET_PER_CLIENT", "10"))
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
# No start-up banner on every manage.py run (cron mails it); failures and lockouts are still logged as warnings.
AXES_VERBOSE = False

# Content security policy (django-csp): scripts, styles, fonts and images come from our own static files only.
# Templates carry no inline script and no style attribute (app.css has the classes); charts read their data from
# json_script blocks (type application/json), which the browser never runs. Uploaded evidence is served with its
# own stricter policy (measures.views.evidence_download).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO" if not DEBUG else "WARNING")},
}

# Evidence files attached to progress updates: the largest accepted, in bytes.
EVIDENCE_MAX_BYTES = int(env("EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
# Uploaded images (emblems, evidence) are refused above this many pixels, before decoding (ita_tracker/images.py).
IMAGE_MAX_PIXELS = int(env("IMAGE_MAX_PIXELS", "25000000"))
# The most evidence one person, and one agency, may store in all (measures.evidence.check_quota).
EVIDENCE_QUOTA_PER_PERSON = int(env("EVIDENCE_QUOTA_PER_PERSON", str(500 * 1024 * 1024)))
EVIDENCE_QUOTA_PER_AGENCY = int(env("EVIDENCE_QUOTA_PER_AGENCY", str(5 * 1024 * 1024 * 1024)))

# Background jobs (ita_tracker/jobs.py says why each backend).
#   celery    production: Celery workers with Redis (REDIS_URL).
#   embedded  no broker: a thread in the development server takes jobs from the database (make run sets this).
#   inline    a job runs right after the request commits (tests, one-off scripts).
# Default: celery when REDIS_URL is set or in production, embedded in development without REDIS_URL.
_REDIS_URL = env("REDIS_URL", "")
JOBS_BACKEND = env("JOBS_BACKEND", "celery" if (_REDIS_URL or not DEBUG) else "embedded")
if JOBS_BACKEND not in ("celery", "embedded", "inline"):
    raise ImproperlyConfigured("JOBS_BACKEND must be celery, embedded or inline.")
# A finished job's result is served for this long, then deleted (clear_jobs, and the workers after each job).
JOBS_RESULT_TTL = timedelta(hours=float(env("JOBS_RESULT_HOURS", "24")))
# A job redelivered more often than this (its worker died each time) is marked failed instead of retried.
JOBS_MAX_ATTEMPTS = int(env("JOBS_MAX_ATTEMPTS", "3"))
# Exports over more agencies than this run as jobs, never inside a request (issue 17: the national export of
# 8,000 agencies took 29.5 s in a request; a province's 100 agencies take well under a second).
EXPORT_INLINE_MAX_AGENCIES = int(env("EXPORT_INLINE_MAX_AGENCIES", "100"))
# The cache every process shares (issue 17): chart averages of a person's selection, kept for minutes, must not
# be paid again by every gunicorn worker. CACHE_URL names it (redis://host:6379/1, or locmem:// for one
# process); unset, production (DEBUG=0) uses Redis at REDIS_URL and development and tests use process memory.
_CACHE_URL = env("CACHE_URL", "" if DEBUG else (_REDIS_URL or "redis://127.0.0.1:6379/0"))
if _CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _CACHE_URL,
            "KEY_PREFIX": "ita",
            "TIMEOUT": 300,
        }
    }
elif _CACHE_URL in ("", "locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ita"}}
else:
    raise ImproperlyConfigured("CACHE_URL must be redis://…, rediss://…, unix://… or locmem://")
# A memo's PDF is kept this many seconds in that cache by the digest of its HTML (reports/pdfcache.py): opened
# again unchanged, it is not laid out again. 0: always rendered.
PDF_CACHE_SECONDS = int(env("PDF_CACHE_SECONDS", "21600"))
# Audit entries older than this many days are deleted by the workers' housekeeping (README, "Data retention");
# unset: the trail is kept whole.
AUDIT_RETENTION_DAYS = int(env("AUDIT_RETENTION_DAYS", "0")) or None
# Channels a notification goes through when the caller names none (ita_tracker/notify.py).
NOTIFY_CHANNELS = env_list("NOTIFY_CHANNELS", ["inapp", "mail", "line"])  # line: only agencies with a token

# Celery: a job is acknowledged only after it finishes, and a job whose worker process dies is put back on the
# queue for another worker. A job is stopped after CELERY_TASK_TIME_LIMIT seconds (a soft limit a minute earlier
# lets it fail with a message), and a worker process is replaced once it has grown past
# CELERY_WORKER_MAX_MEMORY_PER_CHILD KiB, so one large document or import cannot hold the machine's memory.
# Redis redelivers an unacknowledged job after the visibility timeout: it must exceed the time limit.
CELERY_BROKER_URL = _REDIS_URL or "redis://127.0.0.1:6379/0"
CELERY_RESULT_BACKEND = None  # results live in the Job table, where the page that started a job reads them
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = int(env("CELERY_TASK_TIME_LIMIT", "600"))
CELERY_TASK_SOFT_TIME_LIMIT = max(CELERY_TASK_TIME_LIMIT - 60, CELERY_TASK_TIME_LIMIT // 2)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = int(env("CELERY_WORKER_MAX_MEMORY_PER_CHILD", str(400 * 1024)))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(env("CELERY_VISIBILITY_TIMEOUT", str(CELERY_TASK_TIME_LIMIT * 2))),
}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = TIME_ZONE
# A job queued or running longer than this will not finish (every attempt hit the time limit, or no worker runs):
# its page stops polling and says so.
JOBS_GIVE_UP_AFTER = int(
    env("JOBS_GIVE_UP_AFTER", str(CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] * (JOBS_MAX_ATTEMPTS + 1)))
)

# --- daily reminders (ita_tracker.reminders) ------------------------------------------------------------------
# Celery beat (``celery -A ita_tracker beat``) runs them each morning; under ``make run`` the embedded worker does;
# with neither, cron runs ``manage.py send_reminders``. A second run the same day sends nothing twice.
REMINDERS_HOUR = int(env("REMINDERS_HOUR", "7"))
REMINDER_WAITING_DAYS = int(env("REMINDER_WAITING_DAYS", "3"))  # a memo waiting this long reminds its approvers
REMINDER_STALE_DAYS = int(env("REMINDER_STALE_DAYS", "30"))  # a measure without progress this long
REMINDER_ROUND_DAYS = int(env("REMINDER_ROUND_DAYS", "14"))  # a progress round or cycle deadline this close
CELERY_BEAT_SCHEDULE = {
    "daily-reminders": {
        "task": "ita_tracker.send_reminders",
        "schedule": crontab(hour=REMINDERS_HOUR, minute=0),
    },
    # The digest also runs at the end of the reminders; this catches rows whose delivery was still queued.
    "daily-digest": {
        "task": "ita_tracker.send_digests",
        "schedule": crontab(hour=REMINDERS_HOUR, minute=30),
    },
}
# The LINE Messaging API (the ``line`` channel; each agency stores its own channel access token). Tests point
# this at a fake server on loopback.
LINE_API_BASE = env("LINE_API_BASE", "https://api.line.me")
LINE_TIMEOUT_SECONDS = float(env("LINE_TIMEOUT_SECONDS", "10"))
# Sealed memos (reports/seal.py, README "Sealing approved memos"). The agency's certificate and key, as one
# PKCS#12 file: SEAL_DIR/<agency code>.p12 when the agency has its own, otherwise SEAL_CERTIFICATE (one for the
# installation). Files readable by the application's user only (chmod 600); the passphrase comes from the
# environment (SEAL_PASSPHRASE), never from the database or the repository.
SEAL_DIR = Path(env("SEAL_DIR", str(DATA_DIR / "seal")))
SEAL_CERTIFICATE = Path(env("SEAL_CERTIFICATE", str(SEAL_DIR / "default.p12")))
SEAL_PASSPHRASE = env("SEAL_PASSPHRASE", "")
# The public verification page accepts a PDF up to this size, and this many checks per address and hour.
SEAL_VERIFY_MAX_BYTES = int(env("SEAL_VERIFY_MAX_BYTES", str(20 * 1024 * 1024)))
SEAL_VERIFY_PER_HOUR = int(env("SEAL_VERIFY_PER_HOUR", "30"))
