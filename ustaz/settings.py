"""Ustaz settings: one module, driven by USTAZ_* environment variables.

A fresh clone runs with no variable set at all (the embedded default: SQLite in WAL mode, files under
var/, the database task queue, an in-process channel layer). Setting USTAZ_DATABASE_URL, USTAZ_REDIS_URL
and USTAZ_STORAGE_URL turns the same code into the scaled deployment of docs/deploy.md. Any variable may
instead be read from a file named by <NAME>_FILE (for container secrets).
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text().strip()
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = env(name, "")
    if value == "":
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = env(name, "")
    return int(value) if value else default


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


VAR_DIR = Path(env("USTAZ_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)


def _embedded_secret_key() -> str:
    # Generated once per installation and kept beside the data it protects.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = env("USTAZ_SECRET_KEY") or _embedded_secret_key()
DEBUG = envbool("USTAZ_DEBUG", False)
# The test command sets USTAZ_TESTING; pytest run by hand (it sets PYTEST_VERSION) is testing too.
TESTING = envbool("USTAZ_TESTING", False) or "PYTEST_VERSION" in os.environ
ALLOWED_HOSTS = envlist("USTAZ_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("USTAZ_CSRF_TRUSTED_ORIGINS", "")
# Behind a TLS-terminating proxy (scaled mode), the proxy says which scheme the client used.
if envbool("USTAZ_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
# The reverse proxies whose X-Forwarded-For is believed (addresses or CIDR networks, comma-separated); empty:
# nobody's, the client is REMOTE_ADDR (ustaz.core.addresses.client_address). A bad entry stops the start.
TRUSTED_PROXIES = envlist("USTAZ_TRUSTED_PROXIES", "")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _error:
        message = f"USTAZ_TRUSTED_PROXIES: {_proxy!r} is not an address or a network ({_error})"
        raise ImproperlyConfigured(message) from None

INSTALLED_APPS = [
    "ustaz.core",
    "ustaz.accounts",
    "ustaz.academics",
    "ustaz.curricula",
    "ustaz.contracts",
    "ustaz.records",
    "ustaz.materials",
    "ustaz.grades",
    "ustaz.notifications",
    "ustaz.live",
    "ustaz.discussions",
    "ustaz.assignments",
    "ustaz.quizzes",
    "ustaz.attestation",
    "ustaz.plans",
    "ustaz.admissions",
    "ustaz.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "channels",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ustaz.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ustaz.accounts.middleware.UserLanguageMiddleware",
    "ustaz.core.middleware.RejectNulCharactersMiddleware",
    "ustaz.accounts.middleware.UserTimezoneMiddleware",
    "ustaz.accounts.middleware.AccountPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ustaz.urls"
WSGI_APPLICATION = "ustaz.wsgi.application"
ASGI_APPLICATION = "ustaz.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ustaz" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ustaz.core.context_processors.ustaz",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env("USTAZ_DATABASE_URL", f"sqlite:///{VAR_DIR / 'ustaz.sqlite3'}"),
        conn_max_age=envint("USTAZ_DB_CONN_MAX_AGE", 600),
        # A health check costs a round trip on every request; Django reconnects after a failed query anyway.
        conn_health_checks=envbool("USTAZ_DB_HEALTH_CHECKS", False),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE transactions take the write lock up front
    # so that concurrent writers queue on busy_timeout instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"
            " PRAGMA foreign_keys=ON; PRAGMA cache_size=-20000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = None if not TESTING else 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, channel layer ---------------------------------------------------------------
REDIS_URL = env("USTAZ_REDIS_URL")
# Events a WebSocket connection may have waiting (a connection busy storing its own message cannot read them
# meanwhile); past it the layer drops them. A chat connection then refills the gap from the database on the
# next event (decision 0006), but a full burst of a busy room must fit.
CHANNEL_CAPACITY = envint("USTAZ_CHANNEL_CAPACITY", 1000)
# Every key this installation keeps in Redis starts with it: two installations (or two test runs) may share
# one Redis server and database.
REDIS_PREFIX = env("USTAZ_REDIS_PREFIX", "ustaz")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": REDIS_PREFIX,
        }
    }
    SESSION_ENGINE = "ustaz.core.session_backends.cached_db"
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "capacity": CHANNEL_CAPACITY, "prefix": f"{REDIS_PREFIX}:asgi"},
        }
    }
else:
    # The embedded server runs several worker processes: a process-local cache would let each keep its
    # own count of failed logins, so the cache lives in the shared database instead.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "ustaz_cache",
            "OPTIONS": {"MAX_ENTRIES": 50000},
        }
    }
    SESSION_ENGINE = "ustaz.core.session_backends.db"
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": CHANNEL_CAPACITY}}
    }

# --- Files ----------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
STORAGE_URL = env("USTAZ_STORAGE_URL")
if STORAGE_URL.startswith("s3://"):
    _s3 = urlparse(STORAGE_URL)
    _q = {k: v[0] for k, v in parse_qs(_s3.query).items()}
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _s3.hostname,
            "endpoint_url": _q.get("endpoint"),
            "region_name": _q.get("region"),
            "access_key": unquote(_s3.username or "") or env("USTAZ_S3_ACCESS_KEY") or None,
            "secret_key": unquote(_s3.password or "") or env("USTAZ_S3_SECRET_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": envint("USTAZ_S3_URL_SECONDS", 300),
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": None},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_MAX_AGE = 3600
STATICFILES_DIRS = [("bootstrap", Path(__import__("xstatic.pkg.bootstrap").pkg.bootstrap.BASE_DIR))]
# How private files leave the server: "django" streams them from Python; "x-accel" hands the path to
# nginx (X-Accel-Redirect under USTAZ_X_ACCEL_PREFIX); S3 storage always redirects to a signed URL.
FILE_SERVING = env("USTAZ_FILE_SERVING", "django")
X_ACCEL_PREFIX = env("USTAZ_X_ACCEL_PREFIX", "/protected/")
MATERIAL_MAX_UPLOAD_MB = envint("USTAZ_MATERIAL_MAX_UPLOAD_MB", 200)
# Students' course pages are cached per version of the course; this bounds indirect changes (a renamed teacher).
COURSE_PAGE_CACHE_SECONDS = envint("USTAZ_COURSE_PAGE_CACHE_SECONDS", 600)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------------------------------
EMAIL_URL = env("USTAZ_EMAIL_URL")
if EMAIL_URL.startswith(("smtp://", "smtps://", "submission://")):
    _mail = urlparse(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _mail.hostname or "localhost"
    EMAIL_PORT = _mail.port or 25
    EMAIL_HOST_USER = unquote(_mail.username or "")
    EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
    EMAIL_USE_SSL = _mail.scheme == "smtps"
    EMAIL_USE_TLS = _mail.scheme == "submission"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env("USTAZ_FROM_EMAIL", "Ustaz <noreply@ustaz.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks -----------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if TESTING:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Imports of tables (accounts, students, grades, bank statements) ------------------------------------
# Every uploaded table is refused over these limits, with a message naming the limit (ustaz/core/tables.py).
IMPORT_MAX_BYTES = envint("USTAZ_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
IMPORT_MAX_UNPACKED_BYTES = envint("USTAZ_IMPORT_MAX_UNPACKED_BYTES", 60 * 1024 * 1024)
IMPORT_MAX_ROWS = envint("USTAZ_IMPORT_MAX_ROWS", 50_000)
IMPORT_MAX_COLUMNS = envint("USTAZ_IMPORT_MAX_COLUMNS", 50)
IMPORT_MAX_CELL_CHARS = envint("USTAZ_IMPORT_MAX_CELL_CHARS", 1000)
# A file of accounts or students with more rows than this is checked and applied by a background task.
IMPORT_BACKGROUND_ROWS = envint("USTAZ_IMPORT_BACKGROUND_ROWS", 500)

# --- Accounts -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["ustaz.accounts.backends.AuthenticationBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "optional"
# Applicants confirm their e-mail by allauth's link (a signed key, confirmed by a button, not by opening it: a
# mail scanner following links confirms nothing), valid this many days.
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = envint("USTAZ_EMAIL_CONFIRMATION_DAYS", 7)
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_CONFIRMATION_HMAC = True
ACCOUNT_ADAPTER = "ustaz.accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""  # our subjects name Ustaz themselves
ACCOUNT_SESSION_REMEMBER = None
# Failed logins: at most 5 per account in 5 minutes, and 30 a minute from one address (a whole computer
# class or a dormitory may share one address, so the per-address limits are generous); kept in the shared
# cache so that every process counts together.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("USTAZ_LOGIN_RATE", "30/m/ip,5/5m/key"),
    "login": env("USTAZ_LOGIN_ATTEMPT_RATE", "300/m/ip"),
    "reset_password": "20/m/ip,5/m/key",
    # Applicants' self-registration: per address (a school's computer class shares one) and per e-mail.
    "applicant_register": env("USTAZ_REGISTER_RATE", "20/h/ip,3/h/key"),
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Ustaz"
# Accept the code of the period before and after: phones abroad are not always on time.
MFA_TOTP_TOLERANCE = 1
# E-mail addresses are entered by the University when it issues an account, not by self-signup.
MFA_ALLOW_UNVERIFIED_EMAIL = True
# Staff roles (academic office, ICT support, rector, administrator) must enrol TOTP when this is on.
MFA_REQUIRED_FOR_STAFF = envbool("USTAZ_MFA_REQUIRED_FOR_STAFF", False)
# Issued one-time passwords are valid for this many days before the office must issue a new one.
ISSUED_PASSWORD_DAYS = envint("USTAZ_ISSUED_PASSWORD_DAYS", 14)

# --- Daily jobs, queued by `manage.py clock` at their hour (University time) -------------------------
DIGEST_HOUR = envint("USTAZ_DIGEST_HOUR", 18)
SCHEDULE = [
    ("ustaz.notifications.tasks.digest_send", DIGEST_HOUR),
    ("ustaz.assignments.tasks.due_soon_notify", 9),
    ("ustaz.assignments.tasks.uploads_clean", 3),
    ("ustaz.notifications.tasks.basis_documents_notify", 8),
    ("ustaz.records.tasks.orders_apply_due", 0),
]

# Jobs queued at every check of the clock (each minute): the testing centre's sweep of attempts past their
# deadline.
EVERY_MINUTE = ["ustaz.quizzes.tasks.attempts_close_overdue"]

# --- Grading (rules.md): the University's choices, each with the default rules.md gives -------------
# Keys of ustaz.grades.rules.GradingPolicy: admission_rule ("average" or "each"), admission_minimum,
# exam_minimum, fx_minimum, admission_weight, exam_weight, fx_points, c_plus_traditional,
# retaken_counts ("latest": a discipline studied again counts in the cumulative GPA by its latest result;
# "all": every attempt counts). Each may be set by the environment: USTAZ_GRADING_<KEY> (upper case), e.g.
# USTAZ_GRADING_ADMISSION_RULE=each, USTAZ_GRADING_EXAM_WEIGHT=0.5 with USTAZ_GRADING_ADMISSION_WEIGHT=0.5.
# A misspelt key or value, weights that do not add up to 1, a minimum outside 0-100 stop the platform at start
# (ustaz.grades.checks) with what is wrong.
GRADING_POLICY_KEYS = (
    "admission_rule",
    "admission_minimum",
    "exam_minimum",
    "fx_minimum",
    "admission_weight",
    "exam_weight",
    "fx_points",
    "c_plus_traditional",
    "retaken_counts",
)
GRADING_POLICY: dict = {
    key: os.environ[f"USTAZ_GRADING_{key.upper()}"]
    for key in GRADING_POLICY_KEYS
    if os.environ.get(f"USTAZ_GRADING_{key.upper()}", "").strip()
}
# A week's marks are entered from its Monday for this many days (to the Wednesday of the next week).
GRADES_ENTRY_DAYS = envint("USTAZ_GRADES_ENTRY_DAYS", 10)
# Exam retakes a student with FX may take within the course (rules.md: one, free).
GRADES_EXAM_RETAKES = envint("USTAZ_GRADES_EXAM_RETAKES", 1)
# Times a discipline may be studied again after an F (rules.md: at most 2).
GRADES_DISCIPLINE_RETAKES = envint("USTAZ_GRADES_DISCIPLINE_RETAKES", 2)

# --- Honours: a diploma with distinction (rules.md "Final attestation"; docs/decisions/0020-diploma-result.md) ---
# One university's rule, each condition a setting: the cumulative GPA at least USTAZ_HONOURS_MIN_GPA (3.5, read
# to two decimals as the transcript shows it), no exam grade below the letter USTAZ_HONOURS_MIN_EXAM (C+), the
# final attestation's grade one of USTAZ_HONOURS_ATTESTATION (A,A-), and with USTAZ_HONOURS_NO_RETAKES (true)
# no retake at all. A wrong value (a GPA outside 0-4, a letter not on the scale, a yes/no that is neither) stops
# the platform at start (ustaz.grades.checks).
HONOURS_MIN_GPA = env("USTAZ_HONOURS_MIN_GPA", "3.5")
HONOURS_MIN_EXAM = env("USTAZ_HONOURS_MIN_EXAM", "C+")
HONOURS_ATTESTATION = envlist("USTAZ_HONOURS_ATTESTATION", "A,A-")
HONOURS_NO_RETAKES = env("USTAZ_HONOURS_NO_RETAKES", "true")
# --- The appeal commission (issue 15, item 8; docs/decisions/0019-appeal-commission.md) ----------------------
# rules.md: an exam grade is appealed within this many working days of its FIRST publication ...
GRADES_APPEAL_WORKING_DAYS = envint("USTAZ_GRADES_APPEAL_WORKING_DAYS", 1)
# ... and the appeal commission decides within this many working days of the appeal's filing.
GRADES_APPEAL_DECISION_WORKING_DAYS = envint("USTAZ_GRADES_APPEAL_DECISION_WORKING_DAYS", 1)

# --- Admission (rules the University sets; docs/decisions/0009-admission.md) --------------------------
# Ties of the competitive score are separated by these rules in order: "exams" (the programme's first exam,
# then the second...), "submitted" (the application completed earlier); the application's number last.
ADMISSION_TIE_BREAKS = envlist("USTAZ_ADMISSION_TIE_BREAKS", "exams,submitted")
# Each study year's installments: (month-day, percent of the year's amount); months before September fall
# in the academic year's second calendar year. Default: half by 15 September, half by 15 January.
ADMISSION_PAYMENT_SCHEDULE = [
    (item.split(":")[0], int(item.split(":")[1]))
    for item in envlist("USTAZ_ADMISSION_PAYMENT_SCHEDULE", "09-15:50,01-15:50")
]
# Contract numbers: PREFIX-YEAR-0001.
ADMISSION_CONTRACT_PREFIX = env("USTAZ_ADMISSION_CONTRACT_PREFIX", "DL")

# --- Contracts and payments (issue 22; docs/decisions/0015-contracts.md) ---------------------------------
# rules.md "[U, default off]": a student with an overdue contract payment (an installment past its date and not
# covered) is not admitted to the exam; the gradebook shows it and refuses the exam score.
GRADES_BAR_OVERDUE_PAYMENT = envbool("USTAZ_GRADES_BAR_OVERDUE_PAYMENT", False)

# --- The DLT basis (§1.5; docs/decisions/0012-dlt-basis.md) -----------------------------------------------
# The academic office is told this many days before a student's DLT basis document expires.
DLT_DOCUMENT_NOTICE_DAYS = envint("USTAZ_DLT_DOCUMENT_NOTICE_DAYS", 30)

# --- Orders on students' status (rules.md "Study plans and a student's status"; docs/decisions/0014) ----------
# The longest academic leave for health reasons, in days (a year by default).
RECORDS_HEALTH_LEAVE_DAYS = envint("USTAZ_RECORDS_HEALTH_LEAVE_DAYS", 365)
# Who signs an enrolment order recorded without the rector's admission order (position and name).
RECORDS_DEFAULT_SIGNATORY = env("USTAZ_RECORDS_DEFAULT_SIGNATORY", "Rector")

# --- Curricula (rules.md, "Study plans"; docs/decisions/0011-curricula.md) ---------------------------
# Credits of a term and of a study year; a term may differ from its credits by at most the tolerance.
CURRICULA_TERM_CREDITS = envint("USTAZ_CURRICULA_TERM_CREDITS", 30)
CURRICULA_TERM_TOLERANCE = envint("USTAZ_CURRICULA_TERM_TOLERANCE", 0)
CURRICULA_YEAR_CREDITS = envint("USTAZ_CURRICULA_YEAR_CREDITS", 60)
# Hours of study in one credit (rules.md: 1 credit = 30 hours).
CURRICULA_CREDIT_HOURS = envint("USTAZ_CURRICULA_CREDIT_HOURS", 30)
# A new curriculum's terms per level ("level:terms"); arts programmes may be longer (set on the curriculum).
CURRICULA_TERMS = {
    level: int(terms)
    for level, terms in (
        item.split(":") for item in envlist("USTAZ_CURRICULA_TERMS", "vocational:6,bachelor:8,master:4,doctorate:6")
    )
}
# The least total credits of a curriculum per level ("level:credits").
CURRICULA_LEVEL_CREDITS = {
    level: int(credits)
    for level, credits in (
        item.split(":") for item in envlist("USTAZ_CURRICULA_LEVEL_CREDITS", "bachelor:240,master:60,doctorate:180")
    )
}
# The least credits of each cycle of a bachelor's curriculum ("cycle:credits"; rules.md: general education 56,
# basic 112, profiling 60, final attestation 12; practices count in the basic and profiling cycles).
CURRICULA_BACHELOR_CYCLES = {
    cycle: int(credits)
    for cycle, credits in (
        item.split(":")
        for item in envlist("USTAZ_CURRICULA_BACHELOR_CYCLES", "general:56,basic:112,profiling:60,final_attestation:12")
    )
}
# An imported curriculum workbook: its largest size and most rows.
CURRICULA_IMPORT_MAX_KB = envint("USTAZ_CURRICULA_IMPORT_MAX_KB", 512)
CURRICULA_IMPORT_MAX_ROWS = envint("USTAZ_CURRICULA_IMPORT_MAX_ROWS", 500)

# --- Individual study plans (rules.md, "Study plans"; docs/decisions/0013-study-plans.md) ------------
# A plan whose term has more credits than this is refused at submission; a term off the curriculum's credits
# (USTAZ_CURRICULA_TERM_CREDITS and its tolerance) but within it is submitted with a warning to the adviser.
PLANS_TERM_CREDITS_MAX = envint("USTAZ_PLANS_TERM_CREDITS_MAX", 40)
# The longest reason an adviser gives for returning a plan.
PLANS_RETURN_REASON_MAX_CHARS = envint("USTAZ_PLANS_RETURN_REASON_MAX_CHARS", 2000)

# --- Final attestation (rules.md, "Final attestation"; docs/decisions/0018-final-attestation.md) -------
# The quorum of an attestation commission: this fraction of its voting members (the chair and the members,
# not the secretary) present and not stepped aside for the student, rounded up.
ATTESTATION_QUORUM = env("USTAZ_ATTESTATION_QUORUM", "2/3")
# The order approving a commission's composition is dated at least this many days before its first sitting.
ATTESTATION_ORDER_DAYS_BEFORE = envint("USTAZ_ATTESTATION_ORDER_DAYS_BEFORE", 30)

# --- Languages and time ---------------------------------------------------------------------------
LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "ustaz" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Almaty"
USE_TZ = True
LANGUAGE_COOKIE_NAME = "ustaz_language"

# --- Security -------------------------------------------------------------------------------------
SECURE_SSL = envbool("USTAZ_SECURE", not DEBUG and bool(env("USTAZ_ALLOWED_HOSTS")))
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SECURE_SSL_REDIRECT = SECURE_SSL and envbool("USTAZ_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = envint("USTAZ_HSTS_SECONDS", 31536000) if SECURE_SSL else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_SSL
SECURE_HSTS_PRELOAD = SECURE_SSL
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 14 * 24 * 3600
X_FRAME_OPTIONS = "DENY"
# Our own pages load nothing from elsewhere; videos embed from youtube-nocookie.com only.
CONTENT_SECURITY_POLICY = env(
    "USTAZ_CSP",
    "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
    "frame-src https://www.youtube-nocookie.com; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'",
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("USTAZ_LOG_LEVEL", "WARNING")},
}

# --- Classes (live): conference servers, the join window -------------------------------------------------
BBB_URL = env("USTAZ_BBB_URL")  # e.g. https://bbb.example.edu/bigbluebutton/
BBB_SECRET = env("USTAZ_BBB_SECRET")
BBB_CHECKSUM = env("USTAZ_BBB_CHECKSUM", "sha256")  # as the server's bigbluebutton.properties says: sha1...sha512
JITSI_URL = env("USTAZ_JITSI_URL")  # e.g. https://meet.example.edu
JITSI_JWT_SECRET = env("USTAZ_JITSI_JWT_SECRET")  # set where the Jitsi server checks tokens (prosody token auth)
JITSI_APP_ID = env("USTAZ_JITSI_APP_ID", "ustaz")
LIVE_JOIN_EARLY_MINUTES = envint("USTAZ_LIVE_JOIN_EARLY_MINUTES", 15)
LIVE_LATE_AFTER_MINUTES = envint("USTAZ_LIVE_LATE_AFTER_MINUTES", 15)

# --- Chat and WebSockets ---------------------------------------------------------------------------
# Browsers open WebSockets at USTAZ_WS_URL (behind a proxy: wss://ustaz.example.edu/ws), else on the page's
# host at the WebSocket server's port.
WS_PORT = envint("USTAZ_WS_PORT", envint("USTAZ_PORT", 8000) + 1)
WS_URL = env("USTAZ_WS_URL")
CHAT_MAX_ATTACHMENT_MB = envint("USTAZ_CHAT_MAX_ATTACHMENT_MB", 50)

# --- Assignments ----------------------------------------------------------------------------------------
ASSIGNMENT_MAX_UPLOAD_MB = envint("USTAZ_ASSIGNMENT_MAX_UPLOAD_MB", 4096)  # the ceiling of any assignment's limit
ASSIGNMENT_UPLOAD_CHUNK_MB = envint("USTAZ_ASSIGNMENT_UPLOAD_CHUNK_MB", 8)  # what the page sends per request

# --- Testing centre: the limits of one question-bank import (docs/configuration.md) ----------------------
QUIZ_IMPORT_MAX_MB = envint("USTAZ_QUIZ_IMPORT_MAX_MB", 10)  # the file as uploaded
QUIZ_IMPORT_MAX_XLSX_MB = envint("USTAZ_QUIZ_IMPORT_MAX_XLSX_MB", 50)  # an Excel workbook unpacked
QUIZ_IMPORT_MAX_LINES = envint("USTAZ_QUIZ_IMPORT_MAX_LINES", 100_000)  # lines of a text file
QUIZ_IMPORT_MAX_ROWS = envint("USTAZ_QUIZ_IMPORT_MAX_ROWS", 10_000)  # rows of an Excel sheet (a question a row)
QUIZ_IMPORT_MAX_QUESTIONS = envint("USTAZ_QUIZ_IMPORT_MAX_QUESTIONS", 5000)
QUIZ_IMPORT_MAX_OPTIONS = envint("USTAZ_QUIZ_IMPORT_MAX_OPTIONS", 50)  # options, answers or pairs of a question
QUIZ_IMPORT_MAX_TEXT = envint("USTAZ_QUIZ_IMPORT_MAX_TEXT", 10_000)  # characters of one question or option

# --- Media processing bounds (checked from the file's headers before anything is decoded) ----------------
# A file beyond them is kept and downloadable, marked "no preview". See docs/configuration.md.
MEDIA_MAX_IMAGE_PIXELS = envint("USTAZ_MEDIA_MAX_IMAGE_PIXELS", 64_000_000)  # width x height of a picture
MEDIA_MAX_PDF_PAGE_PIXELS = envint("USTAZ_MEDIA_MAX_PDF_PAGE_PIXELS", 12_000_000)  # one page's preview
MEDIA_PDF_PREVIEW_PAGES = envint("USTAZ_MEDIA_PDF_PREVIEW_PAGES", 30)  # pages previewed; the rest are not
MEDIA_MAX_VIDEO_PIXELS = envint("USTAZ_MEDIA_MAX_VIDEO_PIXELS", 4096 * 2160)  # width x height of a video frame
MEDIA_MAX_DURATION_SECONDS = envint("USTAZ_MEDIA_MAX_DURATION_SECONDS", 4 * 3600)  # audio and video
MEDIA_MAX_FRAMES = envint("USTAZ_MEDIA_MAX_FRAMES", 4 * 3600 * 60)  # video frames (4 hours at 60 fps)
MEDIA_MAX_SAMPLE_RATE = envint("USTAZ_MEDIA_MAX_SAMPLE_RATE", 384_000)  # audio samples per second
MEDIA_MAX_CHANNELS = envint("USTAZ_MEDIA_MAX_CHANNELS", 32)  # audio channels

# Shown in the footer and in credential slips.
UNIVERSITY_NAME = env("USTAZ_UNIVERSITY_NAME", "")
SITE_URL = env("USTAZ_SITE_URL", f"http://127.0.0.1:{envint('USTAZ_PORT', 8000)}")
