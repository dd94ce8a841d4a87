"""Settings for the whole project, read from the environment (django-environ).

Every variable has an embedded default suited to the quick start (`make run`): SQLite, no Redis
(Celery runs tasks in-process, local-memory cache), console e-mail, media on the local disk.
The full stack sets DATABASE_URL, REDIS_URL, EMAIL_URL, MEDIA_STORAGE... and DEBUG=false.
The test suite's own needs (fast hashing, eager tasks, scratch media) live in tests/settings.py.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Variables may also come from a file (ENV_FILE, default .env; empty reads none). Real
# environment variables win over the file. `make run` and `make test` read none, so a .env
# written for the full stack never changes the quick start or the tests.
env_file = env("ENV_FILE", default=str(BASE_DIR / ".env"))
if env_file and Path(env_file).is_file():
    env.read_env(env_file)

DEBUG = env.bool("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="insecure-quick-start-key-never-use-in-production")
else:
    SECRET_KEY = env("SECRET_KEY")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    # django.contrib.admin, with the site's rate-limited login (rednote.admin.AdminSite).
    "rednote.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_beat",
    "health_check",
    "csp",
    "allauth",
    "allauth.account",
    "rednote",
    "accounts",
    "translations",
    "moderation",
    "notes",
    "feeds",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the path or the query (PostgreSQL refuses NUL), after the locale so
    # its 404/400 speak the reader's language.
    "rednote.middleware.ControlCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    # After authentication: signed-in people's last activity, for home feed pushes.
    "accounts.middleware.UserActivityMiddleware",
    # Django's messages, skipped on API reads (`rednote.middleware.api_read`).
    "rednote.middleware.PageMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's, with the few exceptions of rednote.security (the API's HTML pages).
    "rednote.security.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "rednote.urls"
WSGI_APPLICATION = "rednote.wsgi.application"
ASGI_APPLICATION = "rednote.asgi.application"

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
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Persistent connections: opening one to PostgreSQL costs more than a cached page's whole
# work (bench/feeds.py). Checked before reuse, so a restarted database is not an error.
# Persistent connections for the real servers; none under DEBUG, where runserver starts a
# thread per request and each thread's kept connection would linger (PostgreSQL's slots).
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0 if DEBUG else 60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The quick start serves requests and runs eager tasks in threads; wait for the write lock
    # rather than failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache and Celery --------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")

CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's, keeping one client per pool (rednote/cache.py).
            "BACKEND": "rednote.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="rednote"),
        }
    }
    # Sessions read from Redis (written through to the database): no session query on a
    # signed-in request. Each knows its user, so suspension ends them all (accounts.sessions).
    SESSION_ENGINE = "accounts.sessions.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "accounts.sessions.db"

# Home feed timelines (feeds/store.py) have their own Redis, so they can outgrow the broker's
# and the cache's: FEEDS_REDIS_URL (default REDIS_URL; empty: no store, the home feed is read
# from the database), on a Redis Cluster with FEEDS_REDIS_CLUSTER=true (any node's address).
FEEDS_REDIS_URL = env("FEEDS_REDIS_URL", default=REDIS_URL)
FEEDS_REDIS_CLUSTER = env.bool("FEEDS_REDIS_CLUSTER", default=False)
# Authors with more followers than this are not pushed to timelines but merged in at read time.
FEED_PULL_THRESHOLD = env.int("FEED_PULL_THRESHOLD", default=10_000)
# Entries kept per home timeline (the newest).
FEED_MAX_LENGTH = env.int("FEED_MAX_LENGTH", default=800)
# Only readers active within this many days get pushes; the others are rebuilt when they return.
FEED_ACTIVE_DAYS = env.int("FEED_ACTIVE_DAYS", default=7)

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
# Without a broker the quick start runs every task in-process, right after the commit that
# enqueued it; exceptions propagate so a broken task is never silent.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = "default"
# Queues (default, images, feeds, translations) are declared in rednote/celery.py; tasks are
# named `<app>.<what>` and routed by name, anything unmatched goes to "default".
CELERY_TASK_ROUTES = {
    "notes.*image*": {"queue": "images"},
    "feeds.*": {"queue": "feeds"},
    "translations.*": {"queue": "translations"},
}
CELERY_TASK_IGNORE_RESULT = True
# Reliable delivery: a task is acknowledged only after it ran, so a worker crash hands it to
# another worker; tasks are written to be idempotent for exactly that reason.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# When the broker connection drops, running late-ack tasks will be redelivered anyway; stop
# them rather than letting them finish twice.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=180)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Periodic tasks, declared here: django-celery-beat's DatabaseScheduler copies these entries
# into its tables on start (and admin can pause them there). Names are `<app>-<what>`.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    # Discover ranks take in new likes and collects (feeds/ranking.py).
    "feeds-discover-ranks": {
        "task": "feeds.discover_ranks_recompute",
        "schedule": env.float("DISCOVER_RANKS_EVERY_SECONDS", default=300.0),
    },
    # Data export archives past their download period are deleted (accounts.services.exports).
    "accounts-data-exports-expire": {
        "task": "accounts.data_exports_expire",
        "schedule": 3600.0,
    },
    # Translation counts move from the cache to the dashboard's daily rows.
    "translations-usage-flush": {
        "task": "translations.usage_flush",
        "schedule": 300.0,
    },
    # Timed suspensions end on time (moderation/services/suspensions.py).
    "moderation-suspensions-expire": {
        "task": "moderation.suspensions_expire",
        "schedule": env.float("SUSPENSIONS_EXPIRE_EVERY_SECONDS", default=60.0),
    },
}
CELERY_TIMEZONE = "UTC"

# --- Auth and accounts --------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        # Django's default attributes name a `username`; ours is the handle.
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("handle", "display_name", "email")},
    },
    {
        "NAME": "accounts.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = "handle"
ACCOUNT_USER_MODEL_EMAIL_FIELD = "email"
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PRESERVE_USERNAME_CASING = True
ACCOUNT_USERNAME_MIN_LENGTH = 2
ACCOUNT_EMAIL_VERIFICATION = env(
    "ACCOUNT_EMAIL_VERIFICATION", default="optional" if DEBUG else "mandatory"
)
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[RedNote] "
# Tell the owner when their password or addresses change (accounts.adapter sends it branded,
# in their language).
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Links in e-mails: the scheme of the public address when SITE_URL is given (the compose stack
# serves plain http://localhost), else https unless debugging. "http" only means "as requested".
ACCOUNT_DEFAULT_HTTP_PROTOCOL = urlsplit(env("SITE_URL", default="")).scheme or (
    "http" if DEBUG else "https"
)
# allauth's defaults (login failures, sign-ups, password resets, confirmation mails per key/IP)
# stay on; the variable exists so a load test can widen them, never to turn them off in prod.
ACCOUNT_RATE_LIMITS = env.json("ACCOUNT_RATE_LIMITS", default={}) or {
    "login_failed": "10/m/ip,5/5m/key",
}

HANDLE_RESERVED = {
    "admin",
    "api",
    "accounts",
    "account",
    "settings",
    "notes",
    "tags",
    "search",
    "following",
    "notifications",
    "static",
    "media",
    "healthz",
    "i18n",
    "about",
    "help",
    "support",
    "root",
    "rednote",
    "system",
    "moderator",
    "staff",
    "me",
    "new",
}

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "rednote_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# Content languages: what notes and comments are written in and what readers read. Codes are
# BCP 47 ("zh-Hans"), unlike the UI codes above, because they travel to translation providers.
CONTENT_LANGUAGES = env.list("CONTENT_LANGUAGES", default=["en", "zh-Hans", "zh-Hant", "ja", "ko"])
# The share of each Discover page that comes from languages the reader does not read ("from
# the other side"), between 0 and 1.
DISCOVER_OTHER_SIDE_SHARE = env.float("DISCOVER_OTHER_SIDE_SHARE", default=0.3)
# How long a visitor's (signed-out) Discover, tag, profile or note page is served from the cache
# (`rednote.pagecache`): what they must no longer see goes at once, new notes and counters show
# within this many seconds. 0 turns it off.
VISITOR_PAGE_CACHE_SECONDS = env.int("VISITOR_PAGE_CACHE_SECONDS", default=30)

# --- Static and media ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env("MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Originals are kept outside MEDIA_ROOT so no URL can ever reach them.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private")))
# The reading aids' compact dictionary files (translations.reading), built on first use from
# the installed CC-CEDICT and memory-mapped by every worker; rebuilt when the source changes.
READING_DATA_DIR = Path(env("READING_DATA_DIR", default=str(BASE_DIR / "var" / "reading")))
MEDIA_STORAGE = env("MEDIA_STORAGE", default="local")  # "local" or "s3"

_static_backend = (
    "django.contrib.staticfiles.storage.StaticFilesStorage"
    if DEBUG
    else "whitenoise.storage.CompressedManifestStaticFilesStorage"
)
if MEDIA_STORAGE == "s3":
    _s3 = {
        "bucket_name": env("AWS_STORAGE_BUCKET_NAME", default="rednote"),
        "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
        "access_key": env("AWS_ACCESS_KEY_ID", default="") or None,
        "secret_key": env("AWS_SECRET_ACCESS_KEY", default="") or None,
        "region_name": env("AWS_S3_REGION_NAME", default="") or None,
        "custom_domain": env("AWS_S3_CUSTOM_DOMAIN", default="") or None,
        "url_protocol": env("AWS_S3_URL_PROTOCOL", default="https:"),
        "file_overwrite": True,
        "querystring_auth": False,
        "default_acl": None,
    }
    STORAGES = {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3},
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **_s3,
                "bucket_name": env("AWS_PRIVATE_BUCKET_NAME", default="rednote-private"),
                "querystring_auth": True,
                "custom_domain": None,
            },
        },
        "staticfiles": {"BACKEND": _static_backend},
    }
else:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
        },
        "staticfiles": {"BACKEND": _static_backend},
    }

# Uploads: files above this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
AVATAR_MAX_BYTES = 5 * 1024 * 1024

# --- Machine translation (the translations app) --------------------------------------------
# Provider: "libretranslate", "deepl" or "openai" (any OpenAI-compatible endpoint, e.g. a local
# LLM); empty means no machine translation. The full stack points it at its LibreTranslate.
TRANSLATION_PROVIDER = env("TRANSLATION_PROVIDER", default="")
TRANSLATION_API_URL = env("TRANSLATION_API_URL", default="")
TRANSLATION_API_KEY = env("TRANSLATION_API_KEY", default="")
# For "openai": the model asked (e.g. "gpt-4o-mini", or a local server's model name).
TRANSLATION_MODEL = env("TRANSLATION_MODEL", default="")
# True only when the provider runs on infrastructure the operator controls (the compose file's
# LibreTranslate, a local LLM): followers-only and private text is sent to no other provider.
TRANSLATION_PROVIDER_SELF_HOSTED = env.bool("TRANSLATION_PROVIDER_SELF_HOSTED", default=False)
# Seconds one provider call may take (connect and read) before it counts as failed.
TRANSLATION_TIMEOUT_SECONDS = env.float("TRANSLATION_TIMEOUT_SECONDS", default=10.0)
# Tries of a queued translation before it is marked unavailable (backoff doubles from
# TRANSLATION_RETRY_BASE_SECONDS, or waits what a 429's Retry-After asks, capped at 10 min).
TRANSLATION_MAX_RETRIES = env.int("TRANSLATION_MAX_RETRIES", default=5)
TRANSLATION_RETRY_BASE_SECONDS = env.float("TRANSLATION_RETRY_BASE_SECONDS", default=5.0)
# Characters one user may have machine-translated per hour (cache hits are free); 0: no limit.
TRANSLATION_QUOTA_CHARACTERS_PER_HOUR = env.int(
    "TRANSLATION_QUOTA_CHARACTERS_PER_HOUR", default=20_000
)
# Upvotes that make a community translation replace the machine one (or the author accepts it).
COMMUNITY_TRANSLATION_ACCEPT_VOTES = env.int("COMMUNITY_TRANSLATION_ACCEPT_VOTES", default=3)

# --- E-mail -------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="RedNote <noreply@rednote.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Client address -----------------------------------------------------------------------
# How many reverse proxies of ours stand in front of Django (1 behind the compose file's
# nginx). The client address is the one the outermost of them saw: X-Forwarded-For is read
# that many entries from its right end, and ignored when 0, so a client cannot forge it to
# escape rate limits. Read in one place, rednote.throttling.client_address, by DRF's throttles,
# the page limits, allauth's limits (accounts.adapter) and the admin login; allauth's and
# DRF's own settings are given the same number for any code of theirs that reads it.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# --- API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # DRF's TokenAuthentication with the token's user cached (invalidated on revocation).
        "accounts.authentication.CachedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "rednote.api.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "rednote.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        # DRF's AnonRateThrottle and UserRateThrottle, one cache round trip each way.
        "rednote.throttling.AnonAndUserRateThrottle",
        # DRF's, counting what each scope counts (rednote.throttling.RATE_SCOPES).
        "rednote.throttling.ScopedRateThrottle",
    ],
    # Every scope keeps its rate; API_THROTTLE_RATES ("anon=1000/min,uploads=10/min") overrides
    # only the scopes it names. A scoped rate is per person (signed in) or per client address
    # (visitors); the page doing what an API endpoint does counts against the same one
    # (rednote.ratelimits.rate_limited): one budget, whichever way it is spent. What each scope
    # counts (writes, or reads too; everyone, or visitors) is rednote.throttling.RATE_SCOPES.
    "DEFAULT_THROTTLE_RATES": {
        "anon": "300/min",  # every API request of a visitor
        "user": "1200/min",  # every API request of a signed-in person
        "auth_token": "10/min",  # API sign-in (allauth's login limits count it too)
        "auth_signup": "30/hour",  # API sign-up (allauth's sign-up limit counts it too)
        "social_graph": "120/min",  # follow/unfollow people and tags, block, mute
        "uploads": "60/min",  # photos for notes, avatars
        "comments": "20/min",  # comments and replies
        "notes": "60/hour",  # posting and editing notes
        "reactions": "120/min",  # likes and unlikes of notes and comments, saving to boards
        "translations": "120/min",  # machine translations of notes, comments and threads
        # Asking again how a translation already asked for is going (the page polls a pending
        # one every second, for each note or comment waiting): reads only, never the provider.
        "translation_polls": "1200/min",
        "search": "30/min",  # searches by visitors (signed-in people: the per-user rate)
        # Visitors' dictionary look-ups and reading aids of notes and comments (page and API).
        "reading": "120/min",
        "reports": "20/hour",
        # Boards made or edited, community translations suggested or voted, translation feedback.
        "contributions": "60/hour",
        # Content-Security-Policy violation reports (rednote.security.csp_report).
        "csp_reports": "30/min",
        **env.dict("API_THROTTLE_RATES", default={}),
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "RedNote API",
    "DESCRIPTION": "Photo notes, the social graph and conversations across languages.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # A note's status appears in several components (Note, DiscoverNote); name it once.
    "ENUM_NAME_OVERRIDES": {
        "NoteStatusEnum": "notes.models.NoteStatus",
        # Two fields named target_type: what a report names, and what an appeal names.
        "ReportTargetTypeEnum": ["note", "comment", "user"],
        "AppealTargetTypeEnum": ["note", "comment"],
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "rednote.api.document_common_errors",
    ],
}


# --- Security -----------------------------------------------------------------------------
# Content-Security-Policy (django-csp): scripts and styles only from this site's own files —
# no inline script, style or event handler, no eval (htmx is configured with allowEval false
# in base.html, Alpine is its CSP build). Photos may also come from the media store's origin.
# Violations are reported to /csp-report/ (rednote.security.csp_report), which logs them.
def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


# Origins photos come from besides this site: CSP_MEDIA_ORIGINS (a CDN...), the S3 store's,
# and MEDIA_URL's when it is absolute.
MEDIA_ORIGINS: list[str] = env.list("CSP_MEDIA_ORIGINS", default=[])
if MEDIA_STORAGE == "s3":
    # Public renditions (custom domain or the endpoint) and the private bucket's signed URLs.
    _s3_endpoint = env("AWS_S3_ENDPOINT_URL", default="")
    _s3_domain = env("AWS_S3_CUSTOM_DOMAIN", default="")
    MEDIA_ORIGINS += [
        origin
        for origin in (
            _origin(_s3_endpoint),
            _origin(f"{env('AWS_S3_URL_PROTOCOL', default='https:')}//{_s3_domain}")
            if _s3_domain
            else "",
            # Without an endpoint, AWS itself (virtual-hosted buckets).
            "https://*.amazonaws.com" if not _s3_endpoint else "",
        )
        if origin
    ]
MEDIA_ORIGINS += [_origin(MEDIA_URL)] if _origin(MEDIA_URL) else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", *MEDIA_ORIGINS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'", *MEDIA_ORIGINS],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "report-uri": ["/csp-report/"],
    },
}
# Uploaded files, wherever Django serves them (renditions, and /media/ in the quick start):
# never a document that runs anything. nginx sends the same for /media/ (docker-compose.yml).
MEDIA_CONTENT_SECURITY_POLICY = "sandbox; default-src 'none'"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Load balancers and container probes ask over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])
if not env.bool("SECURE_HSTS_PRELOAD", default=False):
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# --- Logging ------------------------------------------------------------------------------
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"jieba": {"level": "WARNING"}},
}
if CELERY_TASK_ALWAYS_EAGER:
    # In-process tasks: a line per successful task and kombu's note about the in-memory
    # broker are noise in the quick start's terminal; failures still show.
    LOGGING["loggers"].update(
        {"celery.app.trace": {"level": "WARNING"}, "kombu.connection": {"level": "ERROR"}}
    )

HEALTHCHECK_TIMEOUT = timedelta(seconds=2)
