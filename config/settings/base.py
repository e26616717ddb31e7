"""Settings for every environment, read from the environment (see README)."""

from datetime import timedelta
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from config.env import env, require_local_demo_inbox, require_production_safety

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env("SOLIBOOK_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
require_production_safety(debug=DEBUG, secret_key=SECRET_KEY, allowed_hosts=ALLOWED_HOSTS)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "phonenumber_field",
    "solibook.core",  # before django_tasks_db: its `db_worker` (with a heartbeat) wins
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "solibook.accounts",
    "solibook.catalog",
    "solibook.booking",
    "solibook.marketplace",
    "solibook.reviews",
    "solibook.offers",
    "solibook.clientarea",
    "solibook.clients",
    "solibook.privacy",
    "solibook.insights",
    "solibook.platform",
    "solibook.api",
    "solibook.demo",
    "solibook.notifications",
    "solibook.loyalty",
    "solibook.referrals",
    "solibook.accounting",
    "solibook.finance",
    "solibook.inventory",
    "solibook.commissions",
    "solibook.billing",
    "solibook.purchasing",
    "solibook.forecasting",
    "solibook.recommendations",
    "solibook.retention",
    "solibook.reviewanalysis",
    "solibook.styleadvisor",
    "solibook.marketing",
    "solibook.social",
    "solibook.partnerships",
    "solibook.corporate",
    "solibook.developers",
    "solibook.calendarsync",
    "solibook.compliance",
    "solibook.support",
    "solibook.assistant",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Under WhiteNoise (static files keep its pre-compressed copies), above everything that
    # writes a page: gzips public HTML only (BREACH choices in solibook/core/compression.py).
    "solibook.core.compression.PublicPageGZipMiddleware",
    "solibook.core.middleware.RequestLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "solibook.accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "solibook.core.middleware.AdminScopesMiddleware",
    "solibook.billing.middleware.ReadOnlyWhenUnpaidMiddleware",  # unpaid invoice: no writes
    "solibook.core.middleware.BusyMiddleware",  # a lock wait that ran out: 409 page
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "solibook" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "solibook.core.context_processors.site",
                "solibook.billing.context_processors.billing_lock",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# SQLite is the embedded default for `make run`; PostgreSQL is production.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'solibook.sqlite3'}"),
}


POSTGRESQL_ENGINE = "solibook.core.postgresql"
# Covering indexes (INCLUDE) are PostgreSQL's, for the marketplace search; on
# SQLite (`make run`) Django builds them on their key columns alone, which is all
# the demo needs, so its warning on every start says nothing to act on.
SILENCED_SYSTEM_CHECKS = ["models.W040"]


def tune_database(db: dict) -> dict:
    """SQLite: serialise writers (IMMEDIATE), WAL readers, wait instead of failing."""
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db.setdefault("OPTIONS", {}).update(
            {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA foreign_keys=ON;"
                ),
            }
        )
    else:
        if db["ENGINE"] == "django.db.backends.postgresql":
            # Django's backend with a health check that reads the socket instead of
            # asking the server on every request (solibook/core/postgresql/base.py).
            db["ENGINE"] = POSTGRESQL_ENGINE
        db.setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
        db.setdefault("CONN_HEALTH_CHECKS", True)
    db.setdefault("ATOMIC_REQUESTS", False)
    return db


DATABASES["default"] = tune_database(DATABASES["default"])
# A read replica for the marketplace's public reads: a second alias, and a router
# that sends only those there (solibook/core/dbrouting.py, docs/deploy.md).
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = tune_database(env.db_url("DATABASE_REPLICA_URL"))
    DATABASE_ROUTERS = ["solibook.core.dbrouting.ReplicaRouter"]
    MIDDLEWARE.insert(-1, "solibook.core.dbrouting.ReplicaReadsMiddleware")  # axes stays last
# DB_POOL=1: Django's PostgreSQL pool (psycopg-pool), one per process, instead of a
# persistent connection per thread (they exclude each other); sizes in docs/deploy.md.
if env.bool("DB_POOL", default=False):
    for _db in DATABASES.values():
        if _db["ENGINE"] == POSTGRESQL_ENGINE:
            _db["CONN_MAX_AGE"] = 0
            _db.setdefault("OPTIONS", {})["pool"] = {
                "min_size": env.int("DB_POOL_MIN_SIZE", default=2),
                "max_size": env.int("DB_POOL_MAX_SIZE", default=10),
                "timeout": env.float("DB_POOL_TIMEOUT", default=5.0),
            }
# The longest a statement waits for a lock on PostgreSQL, in seconds, before the
# write fails with a retryable 409 `busy` (solibook/core/locking.py); 0: no limit.
DB_LOCK_TIMEOUT = env.float("DB_LOCK_TIMEOUT", default=3.0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
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
# Login lockout (django-axes) watches every authenticate(); see docs/security.md.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "marketplace:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# --- Languages, time ------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "solibook" / "locale"]
# Date formats per language where Django's own are wrong (Russian genitive months, ...).
FORMAT_MODULE_PATH = ["solibook.core.formats"]
LANGUAGE_COOKIE_NAME = "solibook_language"
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"  # storage is UTC; pages show the location's zone

# --- Static and media -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "solibook" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Public uploads (salon pictures, logos) are served by Django (solibook.core.media)
# unless a front server does (SERVE_MEDIA=0); other uploads (receipts, client
# files) are never served under MEDIA_URL.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
MEDIA_PUBLIC_PREFIXES = ("pictures/", "logos/", "masters/", "locations/")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- E-mail ---------------------------------------------------------------
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG or not env("EMAIL_HOST", default="")
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Solibook <no-reply@solibook.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background jobs (Django tasks API, database backend) ------------------
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}
# `db_worker` renews a heartbeat every third of this; a worker silent this long is
# dead and the jobs it left RUNNING are requeued (core.workers), at most
# TASKS_MAX_ATTEMPTS times each.
TASKS_WORKER_LEASE_SECONDS = env.float("TASKS_WORKER_LEASE_SECONDS", default=30.0)
TASKS_MAX_ATTEMPTS = env.int("TASKS_MAX_ATTEMPTS", default=3)

# --- Security ---------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = (
    True  # pages send the token from the template, never from JS reading the cookie
)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 24 * 7)
# Two-factor authentication (TOTP, django-otp): owners and managers must use it
# to enter the back office and to obtain API tokens. `make run` turns it off
# for the demo logins (REQUIRE_2FA=0); never in production.
REQUIRE_2FA = env.bool("REQUIRE_2FA", default=True)
OTP_TOTP_ISSUER = "Solibook"
OTP_TOTP_THROTTLE_FACTOR = 1
# Lockout: 5 failed logins for one account from one address lock that pair
# for 15 minutes (pages, admin and the JWT endpoint alike).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "solibook.accounts.lockout.username_of"
AXES_LOCKOUT_CALLABLE = "solibook.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    if env.bool("BEHIND_TLS_PROXY", default=False)
    else ["REMOTE_ADDR"]
)
# Content-Security-Policy (django-csp 4): no inline scripts anywhere; styles
# allow inline attributes (Bootstrap utilities, htmx). The booking widget
# replaces frame-ancestors with the salon's declared sites.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": [],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": [
            "'self'",
            "data:",
            "blob:",
            "https://tile.openstreetmap.org",
        ],  # marketplace map tiles
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# GDPR: clients with no visit and no login for this long are anonymised by
# the retention job (`manage.py privacy_retention`, task privacy.tasks.retention_run).
PRIVACY_CLIENT_RETENTION_DAYS = env.int("PRIVACY_CLIENT_RETENTION_DAYS", default=3 * 365)
# Uploaded photos: size limit and accepted formats (decoded, re-encoded, metadata stripped).
PHOTO_MAX_BYTES = env.int("PHOTO_MAX_BYTES", default=8 * 1024 * 1024)
PHOTO_MAX_PIXELS = 40_000_000

# --- API ------------------------------------------------------------------
# JSON bodies (solibook/api/parsers.py): larger or deeper ones are a 400.
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=1024 * 1024)
API_MAX_JSON_DEPTH = 64
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "solibook.developers.auth.ApiKeyAuthentication",  # salons' keys for partners
        "solibook.accounts.jwt.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "solibook.api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "solibook.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "solibook.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "solibook.developers.auth.ApiKeyRateThrottle",  # each API key's own limit
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="120/min"),
        "user": env("API_THROTTLE_USER", default="600/min"),
        "auth": env("API_THROTTLE_AUTH", default="20/min"),
        # Public, unauthenticated-friendly endpoints (per client IP or user).
        "public_search": env("API_THROTTLE_PUBLIC_SEARCH", default="60/min"),
        "availability": env("API_THROTTLE_AVAILABILITY", default="120/min"),
        "booking": env("API_THROTTLE_BOOKING", default="30/min"),
        "privacy": env("API_THROTTLE_PRIVACY", default="10/hour"),
    },
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["solibook.api.parsers.JSONParser"],  # size and depth limits
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Solibook API",
    "DESCRIPTION": "Marketplace, salon back office and referral engine. JWT or session authentication.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the installed sidecar package, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Enums shared by several fields get one meaningful name, not a generated hash.
    "ENUM_NAME_OVERRIDES": {
        "LanguageEnum": LANGUAGES,
        "RoleEnum": "solibook.accounts.roles.Role",
        "CommissionRuleKindEnum": "solibook.accounting.models.CommissionRule.Kind",
        "ConsentKindEnum": "solibook.clients.models.ConsentKind",
        "NotificationKindEnum": "solibook.notifications.models.Kind",
        "NotificationChannelEnum": "solibook.notifications.models.Channel",
        "RewardKindEnum": "solibook.referrals.models.RewardKind",
        "TimeOffReasonEnum": "solibook.catalog.models.TimeOff.Reason",
        "AppointmentStatusEnum": "solibook.booking.models.Status",
        "AppointmentSourceEnum": "solibook.booking.models.Source",
        "RefundReasonEnum": "solibook.finance.models.Refund.Reason",
        "DeliveryPaidFromEnum": "solibook.purchasing.models.PaidFrom",
        "PaidFromEnum": "solibook.accounting.models.PaidFrom",
        "SocialPostKindEnum": "solibook.social.models.Post.Kind",
        "LandingKindEnum": "solibook.partnerships.models.Landing.Kind",
        "SupportTicketStatusEnum": "solibook.support.models.Status",
        "SupportSourceEnum": "solibook.support.models.Source",
        "AssistantChannelEnum": "solibook.assistant.models.Channel",
        "AssistantModeEnum": "solibook.assistant.models.Mode",
        "AssistantAuthorEnum": "solibook.assistant.models.Author",
    },
    # <id:...> in a route (solibook.core.ids.IdConverter): a row's id.
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "format": "int64", "minimum": 1, "maximum": 2**63 - 1},
    },
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=10)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=14)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "ALGORITHM": "HS256",
    "AUDIENCE": "solibook-api",
    "ISSUER": "solibook",
    "USER_ID_FIELD": "id",
}

CACHES = {
    "default": env.cache_url("CACHE_URL", default="locmemcache://solibook"),
}
# /metrics (solibook.core.metrics): a scraper sends `Authorization: Bearer <token>`,
# or comes from one of these networks (CIDR); with neither, no one reads it.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=[])

# --- Logging: one JSON object a line, for log shippers ---------------------
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
    },
}

SOLIBOOK_SITE_NAME = "Solibook"

# --- Notifications (solibook.notifications; worker: `manage.py run_notifications`)
# Salons override the reminder offsets and channels in their own settings row.
NOTIFICATIONS_REMINDER_MINUTES = env.list(
    "NOTIFICATIONS_REMINDER_MINUTES", cast=int, default=[24 * 60, 2 * 60]
)
NOTIFICATIONS_CHANNELS = env.list("NOTIFICATIONS_CHANNELS", default=["email"])
NOTIFICATIONS_REVIEW_DELAY_MINUTES = env.int("NOTIFICATIONS_REVIEW_DELAY_MINUTES", default=120)
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=6)
NOTIFICATIONS_RETRY_BASE_SECONDS = env.int("NOTIFICATIONS_RETRY_BASE_SECONDS", default=60)
NOTIFICATIONS_RETRY_MAX_SECONDS = env.int("NOTIFICATIONS_RETRY_MAX_SECONDS", default=3600)
# A claimed message's lease, renewed while its batch is sent: a worker that died
# holds its messages this long at most (a restarted one resumes within it + a poll).
NOTIFICATIONS_CLAIM_LEASE_SECONDS = env.float("NOTIFICATIONS_CLAIM_LEASE_SECONDS", default=20.0)
NOTIFICATIONS_POLL_SECONDS = env.float("NOTIFICATIONS_POLL_SECONDS", default=5.0)
NOTIFICATIONS_HTTP_TIMEOUT = env.float("NOTIFICATIONS_HTTP_TIMEOUT", default=10.0)
NOTIFICATIONS_CALENDAR_DOMAIN = env("NOTIFICATIONS_CALENDAR_DOMAIN", default="solibook.localhost")
NOTIFICATIONS_PROVIDERS = {
    "email": env(
        "NOTIFICATIONS_EMAIL_PROVIDER", default="solibook.notifications.providers.EmailProvider"
    ),
    # ConsoleSmsProvider (log), FileSmsProvider (NOTIFICATIONS_SMS_FILE_PATH) or WebhookProvider.
    "sms": env(
        "NOTIFICATIONS_SMS_PROVIDER", default="solibook.notifications.providers.ConsoleSmsProvider"
    ),
    "whatsapp": env(
        "NOTIFICATIONS_WHATSAPP_PROVIDER", default=""
    ),  # ...providers.WhatsAppCloudProvider
    "push": env(
        "NOTIFICATIONS_PUSH_PROVIDER", default="solibook.notifications.push.WebPushProvider"
    ),
}
NOTIFICATIONS_SMS_FILE_PATH = env("NOTIFICATIONS_SMS_FILE_PATH", default=str(VAR_DIR / "sms.jsonl"))
NOTIFICATIONS_SMS_WEBHOOK_URL = env("NOTIFICATIONS_SMS_WEBHOOK_URL", default="")
NOTIFICATIONS_SMS_WEBHOOK_TOKEN = env("NOTIFICATIONS_SMS_WEBHOOK_TOKEN", default="")
NOTIFICATIONS_SMS_SENDER = env("NOTIFICATIONS_SMS_SENDER", default="")
NOTIFICATIONS_WHATSAPP_WEBHOOK_URL = env("NOTIFICATIONS_WHATSAPP_WEBHOOK_URL", default="")
NOTIFICATIONS_WHATSAPP_WEBHOOK_TOKEN = env("NOTIFICATIONS_WHATSAPP_WEBHOOK_TOKEN", default="")
NOTIFICATIONS_WHATSAPP_SENDER = env("NOTIFICATIONS_WHATSAPP_SENDER", default="")
NOTIFICATIONS_SITE_URL = env(
    "NOTIFICATIONS_SITE_URL", default="http://127.0.0.1:8000"
)  # links in messages
NOTIFICATIONS_TWILIO_BASE_URL = env(
    "NOTIFICATIONS_TWILIO_BASE_URL", default="https://api.twilio.com"
)
NOTIFICATIONS_TWILIO_ACCOUNT_SID = env("NOTIFICATIONS_TWILIO_ACCOUNT_SID", default="")
NOTIFICATIONS_TWILIO_AUTH_TOKEN = env("NOTIFICATIONS_TWILIO_AUTH_TOKEN", default="")
NOTIFICATIONS_TWILIO_FROM = env(
    "NOTIFICATIONS_TWILIO_FROM", default=""
)  # a number, or a messaging service SID (MG...)
NOTIFICATIONS_WHATSAPP_API_URL = env(
    "NOTIFICATIONS_WHATSAPP_API_URL", default="https://graph.facebook.com/v20.0"
)
NOTIFICATIONS_WHATSAPP_PHONE_NUMBER_ID = env("NOTIFICATIONS_WHATSAPP_PHONE_NUMBER_ID", default="")
NOTIFICATIONS_WHATSAPP_TOKEN = env("NOTIFICATIONS_WHATSAPP_TOKEN", default="")
NOTIFICATIONS_WHATSAPP_TEMPLATE = env("NOTIFICATIONS_WHATSAPP_TEMPLATE", default="")
# Web push (VAPID): a PEM or base64url private key; empty = one generated in var/ on first use.
NOTIFICATIONS_VAPID_PRIVATE_KEY = env("NOTIFICATIONS_VAPID_PRIVATE_KEY", default="")
NOTIFICATIONS_VAPID_SUBJECT = env(
    "NOTIFICATIONS_VAPID_SUBJECT", default="mailto:no-reply@solibook.localhost"
)
NOTIFICATIONS_PUSH_TTL = env.int("NOTIFICATIONS_PUSH_TTL", default=24 * 3600)

# The demo profile (`make run` sets SOLIBOOK_DEMO=1): every outgoing e-mail, SMS,
# WhatsApp message and push is kept in a table and read on /<lang>/demo/inbox/
# instead of reaching anyone. Refused unless the site answers only to this
# machine, and by the production settings whatever the hosts.
DEMO_INBOX = env.bool("SOLIBOOK_DEMO", default=False)
require_local_demo_inbox(demo_inbox=DEMO_INBOX, allowed_hosts=ALLOWED_HOSTS)
if DEMO_INBOX:
    EMAIL_BACKEND = "solibook.demo.inbox.InboxEmailBackend"
    NOTIFICATIONS_PROVIDERS = {
        "email": "solibook.notifications.providers.EmailProvider",  # to the inbox backend
        "sms": "solibook.demo.inbox.InboxSmsProvider",
        "whatsapp": "solibook.demo.inbox.InboxWhatsAppProvider",
        "push": "solibook.demo.inbox.InboxPushProvider",
    }

# Webhooks (solibook.developers, docs/developers.md). A subscriber's address must be
# public (no request forgery into our network), except in tests and the demo of `make run`.
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", default=DEMO_INBOX)
WEBHOOKS_TIMEOUT_SECONDS = env.float("WEBHOOKS_TIMEOUT_SECONDS", default=5.0)
WEBHOOKS_MAX_ATTEMPTS = env.int("WEBHOOKS_MAX_ATTEMPTS", default=8)
WEBHOOKS_PAUSE_AFTER_FAILURES = env.int("WEBHOOKS_PAUSE_AFTER_FAILURES", default=15)
WEBHOOKS_PAUSE_AFTER_HOURS = env.float("WEBHOOKS_PAUSE_AFTER_HOURS", default=24.0)

# Social publishing (solibook.social, docs/social.md): each network's API address (tests
# point them at local servers). In the demo profile posts go to the demo inbox instead.
SOCIAL_API_BASES = {
    "facebook": env("SOCIAL_FACEBOOK_API", default="https://graph.facebook.com/v19.0"),
    "instagram": env("SOCIAL_INSTAGRAM_API", default="https://graph.facebook.com/v19.0"),
    "telegram": env("SOCIAL_TELEGRAM_API", default="https://api.telegram.org"),
    "vk": env("SOCIAL_VK_API", default="https://api.vk.com"),
}
SOCIAL_SANDBOX = env.bool("SOCIAL_SANDBOX", default=DEMO_INBOX)

# The virtual consultant (solibook.assistant): the messengers' API bases (tests point them at
# local servers) and the optional OpenAI-compatible model, off unless its URL and model are set.
ASSISTANT_API_BASES = {
    "whatsapp": env("ASSISTANT_WHATSAPP_API", default="https://graph.facebook.com/v19.0"),
    "telegram": env("ASSISTANT_TELEGRAM_API", default="https://api.telegram.org"),
}
ASSISTANT_LLM_BASE_URL = env("ASSISTANT_LLM_BASE_URL", default="")
ASSISTANT_LLM_MODEL = env("ASSISTANT_LLM_MODEL", default="")
ASSISTANT_LLM_API_KEY = env("ASSISTANT_LLM_API_KEY", default="")

# Payments (solibook.finance, docs/finance.md). Without a Stripe key online
# payment is off and salons take payment at the venue.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")  # tests point the SDK at a local server
# Without Stripe keys, online payments run in test mode (`finance.payments.testmode`):
# cards are fake, nothing is charged, every page says "Test payments — no real money".
PAYMENTS_TEST_MODE = env.bool("PAYMENTS_TEST_MODE", default=not STRIPE_SECRET_KEY)

# Calendar sync (solibook.calendarsync, docs/calendarsync.md). CalDAV addresses on
# private or loopback networks are refused (no server-side request forgery) except
# in the demo profile and tests, where the calendar server runs on this machine.
CALENDARSYNC_ALLOW_PRIVATE_URLS = env.bool("CALENDARSYNC_ALLOW_PRIVATE_URLS", default=DEMO_INBOX)
CALENDARSYNC_SECRET_KEY = env("CALENDARSYNC_SECRET_KEY", default="")  # else SECRET_KEY
CALENDARSYNC_HORIZON_DAYS = env.int("CALENDARSYNC_HORIZON_DAYS", default=120)
GOOGLE_OAUTH_CLIENT_ID = env("GOOGLE_OAUTH_CLIENT_ID", default="")
GOOGLE_OAUTH_CLIENT_SECRET = env("GOOGLE_OAUTH_CLIENT_SECRET", default="")
GOOGLE_OAUTH_AUTH_URI = env(
    "GOOGLE_OAUTH_AUTH_URI", default="https://accounts.google.com/o/oauth2/v2/auth"
)
GOOGLE_OAUTH_TOKEN_URI = env(
    "GOOGLE_OAUTH_TOKEN_URI", default="https://oauth2.googleapis.com/token"
)
GOOGLE_CALENDAR_API_ENDPOINT = env("GOOGLE_CALENDAR_API_ENDPOINT", default="")  # tests: local
