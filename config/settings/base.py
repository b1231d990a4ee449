"""Settings shared by every environment.

Safe by default: DEBUG is off and the secret key comes only from the environment.
Every service is chosen by an environment variable; with none set the site runs on
embedded defaults (SQLite, in-memory channel layer, local media, console email,
local-memory cache, database task queue). See the configuration table in README.md.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from csp.constants import NONE, SELF

from config.env import database_config, env_bool, env_int, env_list, env_str, redis_url
from config.media_storage import media_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# How many reverse proxies of ours stand in front of the web processes, each adding
# to X-Forwarded-For. 0 (the default): proxy headers are ignored, and the peer
# address is the client's. See core/client_ip.py.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# Application definition

INSTALLED_APPS = [
    # Daphne first: its runserver serves ASGI (HTTP and WebSockets) in development.
    "daphne",
    # Django's apps come before the apps whose rows point at them, so the test
    # database's serialized copy restores content types and groups first.
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.sites",
    "django.contrib.humanize",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # Third party
    "channels",
    "allauth",
    "allauth.account",
    "django_tasks",
    "django_tasks_db",
    "bootstrap",
    "fontawesome",
    "csp",
    "django_htmx",
    "django_comments_xtd",
    "django_comments",
    # Ours (their templates and static files live in templates/ and static/,
    # which come before every app's).
    "core",
    "accounts",
    "home",
    "comments",
    "blog",
    "gallery",
    "chat",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.csp.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.inputs.UnstorableInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.inputs.AdminBadValueMiddleware",
    "core.middleware.busy.ImagesBusyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "core.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# Database: DATABASE_URL (PostgreSQL) or the SQLite file in the project folder.

DATABASES = {
    "default": database_config(default_url=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: REDIS_URL turns on the Redis channel layer and cache, shared by every process.

REDIS_URL = redis_url()

# Channel capacity (events waiting for one WebSocket consumer) is set on purpose:
# past it the layer drops live deliveries (logged and counted by chat.consumers),
# and the page fills the gap by seq from the API. 300 holds a burst of 300
# messages for a client that reads slowly; expiry drops events nobody reads.
CHANNEL_CAPACITY = 300

if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # redis-py 8 times reads out after 5 s by default, just when
                # channels-redis's 5 s blocking receive returns: an idle consumer
                # died with "Timeout reading from" Redis. Give reads more room.
                "hosts": [{"address": REDIS_URL, "socket_timeout": 15}],
                "prefix": env_str("REDIS_PREFIX", "whiskers"),
                "capacity": CHANNEL_CAPACITY,
                "expiry": 60,
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("REDIS_PREFIX", "whiskers"),
            "TIMEOUT": 300,
        }
    }
else:
    # Per process only: fine for one development server, never for production.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": CHANNEL_CAPACITY, "expiry": 60},
        }
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background tasks (django-tasks, as Wagtail itself uses): the database queue by
# default, whose worker is `manage.py db_worker`; "rq" puts them on Redis.

TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
if TASKS_BACKEND == "database":
    TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
elif TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured(
            "TASKS_BACKEND=rq needs REDIS_URL to point at Redis."
        )
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be database, rq or immediate, got {TASKS_BACKEND!r}."
    )

# /healthz/ reports the queue "degraded" (and /healthz/tasks/ answers 503) when a
# task has waited longer than this, or, on RQ, no worker was seen for this long.
TASKS_MAX_WAIT_SECONDS = env_int("TASKS_MAX_WAIT_SECONDS", 120)
TASKS_WORKER_SEEN_SECONDS = env_int("TASKS_WORKER_SEEN_SECONDS", 60)

# Accounts

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
# The Wagtail admin signs in and resets passwords through allauth (rate-limited) too.
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False
# Passwords are changed at /accounts/password/change/ (allauth), not in the admin,
# and private pages are for signed-in users only: no shared page passwords.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_SESSION_REMEMBER = None  # ask with the "Remember me" box
ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD = "website"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
# Reserved, and so are their look-alikes (accounts/names.py).
ACCOUNT_USERNAME_BLACKLIST = [
    "admin",
    "administrator",
    "moderator",
    "moderators",
    "root",
    "staff",
    "support",
    "system",
    "whiskers",
    "api",
    "bot",
    "null",
    "anonymous",
]
ACCOUNT_USERNAME_MIN_LENGTH = 2
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Whiskers] "
# allauth's rate limits, stored in the cache (Redis in production, so they hold
# across processes). Failed logins: 10 a minute per IP, 5 per 5 minutes per account.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/300s/key",
    "login": "30/m/ip",
    "signup": "20/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
}

# Uploaded pictures (core/images.py). A phone camera makes about 50 megapixels;
# decoding one takes about 150 MB, so each process decodes at most
# IMAGE_DECODE_CONCURRENCY at once and answers 503 (Retry-After) to the rest
# after waiting IMAGE_DECODE_WAIT_SECONDS for a free slot.
AVATAR_MAX_UPLOAD_BYTES = env_int("AVATAR_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
AVATAR_MAX_PIXELS = env_int("AVATAR_MAX_PIXELS", 50_000_000)
IMAGE_DECODE_CONCURRENCY = env_int("IMAGE_DECODE_CONCURRENCY", 2)
IMAGE_DECODE_WAIT_SECONDS = env_int("IMAGE_DECODE_WAIT_SECONDS", 10)

# Blog: how many times a member may save or send a post (and upload pictures for
# it), as "count/seconds"; the long edge of pictures in posts, in pixels.
BLOG_WRITE_RATE_LIMIT = env_str("BLOG_WRITE_RATE_LIMIT", "60/3600")
BLOG_IMAGE_MAX_EDGE = 2400

# Comments (django-comments-xtd): threads up to three levels deep, members only,
# likes and flags, follow-up emails. COMMENTS_FLAG_THRESHOLD flags email the
# moderators; a member may post COMMENTS_RATE_LIMIT ("count/seconds") and edit a
# comment for COMMENTS_EDIT_SECONDS.
SITE_ID = 1
COMMENTS_APP = "django_comments_xtd"
COMMENT_MAX_LENGTH = env_int("COMMENT_MAX_LENGTH", 3000)
COMMENTS_XTD_MAX_THREAD_LEVEL = 2
COMMENTS_XTD_CONFIRM_EMAIL = False
COMMENTS_XTD_THREADED_EMAILS = False  # sent by the task worker (comments/tasks.py)
COMMENTS_XTD_SEND_HTML_EMAIL = True
COMMENTS_XTD_APP_MODEL_OPTIONS = {
    app_model: {
        "who_can_post": "users",
        "allow_flagging": True,
        "allow_feedback": True,
        "show_feedback": True,
    }
    for app_model in ("default", "blog.blogpage", "gallery.galleryimage")
}
COMMENTS_RATE_LIMIT = env_str("COMMENTS_RATE_LIMIT", "10/300")
COMMENTS_DUPLICATE_SECONDS = 600
COMMENTS_EDIT_SECONDS = 600
COMMENTS_FLAG_THRESHOLD = env_int("COMMENTS_FLAG_THRESHOLD", 3)
COMMENTS_THREADS_PER_PAGE = 20  # conversations (a comment and its replies) per page

# Chat: how many messages one member may post in how many seconds (a sliding
# window, chat/services.py), and how many WebSocket frames one connection may
# send: a burst, then so many a second (chat/consumers.py).
CHAT_RATE_LIMIT = (10, 10)
CHAT_FRAME_LIMIT = (30, 5)

# --- Chat REST API (chat/api/): Django REST framework, tokens, OpenAPI ---

INSTALLED_APPS += [
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our static files, no CDN
]
REST_FRAMEWORK = {
    # Token first: a request without credentials gets 401 with
    # "WWW-Authenticate: Token"; the site's own pages use the session (with CSRF).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticatedOrReadOnly"
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Whiskers API",
    "DESCRIPTION": "Chat rooms and messages. Authenticate with `Authorization: Token <key>` "
    "(make one on your profile page) or the site's session.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "PREPROCESSING_HOOKS": ["chat.api.schema.public_api_only"],
}
# --- end of the chat API block ---

# Cat classifier (gallery/classifier/, run by the task worker through
# gallery/labelling.py). Models ship in gallery/classifier/models/; newly trained ones
# go to CAT_MODEL_DIR. CAT_MODEL_VERSION empty means the active version
# (`manage.py cat_model --activate`). CAT_MODEL_WEIGHTS is the MobileNetV2 base
# weights file (.h5), needed only to train and by the "keras" runtime.
CAT_CLASSIFIER_RUNTIME = env_str("CAT_CLASSIFIER_RUNTIME", "litert")
if CAT_CLASSIFIER_RUNTIME not in ("litert", "keras"):
    raise ImproperlyConfigured(
        f"CAT_CLASSIFIER_RUNTIME must be litert or keras, got {CAT_CLASSIFIER_RUNTIME!r}."
    )
CAT_MODEL_DIR = Path(env_str("CAT_MODEL_DIR") or BASE_DIR / "var" / "cat-models")
CAT_MODEL_VERSION = env_str("CAT_MODEL_VERSION")
CAT_MODEL_WEIGHTS = env_str("CAT_MODEL_WEIGHTS")
CAT_LABEL_MAX_ATTEMPTS = env_int("CAT_LABEL_MAX_ATTEMPTS", 3)

# Email: console by default; set EMAIL_HOST (and friends) for SMTP.

EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Whiskers <noreply@whiskers.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
COMMENTS_XTD_FROM_EMAIL = DEFAULT_FROM_EMAIL

# Internationalisation

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Static files (collected, compressed and served by WhiteNoise) and media.

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
# MEDIA_STORAGE=s3 keeps media in an S3-compatible bucket (config/media_storage.py).
MEDIA_DEFAULT_STORAGE, MEDIA_ORIGINS = media_storage()
STORAGES = {
    "default": MEDIA_DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Form fields in memory at most 2.5 MB; uploaded files above 2.5 MB are streamed to
# a temporary file. The whole request body is capped before Django reads it, by
# path (config/limits.py, REQUEST_BODY_LIMITS below).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o644

# Wagtail

WAGTAIL_SITE_NAME = "Whiskers"
WAGTAILADMIN_BASE_URL = env_str("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILIMAGES_IMAGE_MODEL = "gallery.GalleryImage"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "core.search"}}
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "docx",
    "key",
    "odt",
    "pdf",
    "pptx",
    "rtf",
    "txt",
    "xlsx",
    "zip",
]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int("IMAGE_MAX_UPLOAD_BYTES", 15 * 1024 * 1024)
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env_int("IMAGE_MAX_PIXELS", 50_000_000)
WAGTAILDOCS_MAX_UPLOAD_SIZE = env_int("DOCUMENT_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no third-party requests from the admin
WAGTAIL_ALLOW_UNICODE_SLUGS = False

# Request bodies are capped before Django reads them (config/limits.py): these
# path prefixes take uploads (the longest prefix wins), everything else gets
# REQUEST_MAX_BODY_BYTES. A megabyte on top leaves room for the form's fields.
REQUEST_MAX_BODY_BYTES = env_int("REQUEST_MAX_BODY_BYTES", 3 * 1024 * 1024)
_FORM_ROOM = 1024 * 1024
REQUEST_BODY_LIMITS = {
    "/accounts/profile/": AVATAR_MAX_UPLOAD_BYTES + _FORM_ROOM,
    # A post's form carries a cover picture and one more; the editor's button one.
    "/blog/": 2 * WAGTAILIMAGES_MAX_UPLOAD_SIZE + _FORM_ROOM,
    "/admin/": max(WAGTAILIMAGES_MAX_UPLOAD_SIZE, WAGTAILDOCS_MAX_UPLOAD_SIZE)
    + _FORM_ROOM,
}

# Gallery (gallery/): members' photos. Each photo is checked and re-encoded by
# core/images.py within these limits; several photos may be sent in one request
# (the form without JavaScript), so /gallery/upload/ takes that many at once.
GALLERY_MAX_UPLOAD_BYTES = env_int(
    "GALLERY_MAX_UPLOAD_BYTES", WAGTAILIMAGES_MAX_UPLOAD_SIZE
)
GALLERY_MAX_PIXELS = env_int("GALLERY_MAX_PIXELS", WAGTAILIMAGES_MAX_IMAGE_PIXELS)
GALLERY_MAX_GIF_FRAMES = 1000
GALLERY_MAX_FILES_PER_UPLOAD = env_int("GALLERY_MAX_FILES_PER_UPLOAD", 10)
GALLERY_IMAGE_MAX_EDGE = 4096  # longer edges are scaled down when stored
# Photos per member, and reports per member, as "count/seconds".
GALLERY_UPLOAD_RATE_LIMIT = env_str("GALLERY_UPLOAD_RATE_LIMIT", "60/3600")
GALLERY_REPORT_RATE_LIMIT = env_str("GALLERY_REPORT_RATE_LIMIT", "20/3600")
REQUEST_BODY_LIMITS["/gallery/upload/"] = (
    GALLERY_MAX_FILES_PER_UPLOAD * GALLERY_MAX_UPLOAD_BYTES + _FORM_ROOM
)

# Security headers that hold everywhere; production.py adds the HTTPS-only ones.

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"  # Wagtail's preview panel frames the site
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp). The public site allows scripts and styles
# from our own origin only: no inline scripts, no style attributes, no eval.
# The Wagtail admin (under /admin/) gets CSP_ADMIN_DIRECTIVES instead (see
# core/middleware/csp.py). CSP_REPORT_ONLY=true (env) sends both as report-only headers
# to try a change on live traffic; violations are logged by /csp-report/.
CSP_REPORT_ONLY_MODE = env_bool("CSP_REPORT_ONLY", False)
# e.g. a CDN; the S3 bucket's own origin is added by itself (MEDIA_ORIGINS)
CSP_EXTRA_MEDIA_SOURCES = [*env_list("CSP_EXTRA_MEDIA_SOURCES"), *MEDIA_ORIGINS]
CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF, "data:", "blob:", *CSP_EXTRA_MEDIA_SOURCES],
    "media-src": [SELF, *CSP_EXTRA_MEDIA_SOURCES],
    "font-src": [SELF],
    "connect-src": [SELF],
    "frame-src": [
        SELF,
        "https://www.youtube-nocookie.com",
        "https://www.youtube.com",
        "https://player.vimeo.com",
    ],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],
    "report-uri": "/csp-report/",
}
# Wagtail 8's admin still runs inline scripts (in some of its templates, in modal
# responses it inserts with jQuery, Jcrop's inline handlers) and sets style
# attributes, so its policy allows inline code; everything else stays as strict.
# Only editors and moderators reach it, and what they enter is escaped on output.
CSP_ADMIN_DIRECTIVES = {
    **CSP_DIRECTIVES,
    "script-src": [SELF, "'unsafe-inline'"],
    "style-src": [SELF, "'unsafe-inline'"],
}
CSP_ADMIN_PATH_PREFIX = "/admin/"
if CSP_REPORT_ONLY_MODE:
    CONTENT_SECURITY_POLICY = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": CSP_DIRECTIVES}
    CONTENT_SECURITY_POLICY_REPORT_ONLY = None

# Permissions-Policy (django-permissions-policy): no page of ours needs these.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "ambient-light-sensor": [],
    "autoplay": [],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "serial": [],
    "usb": [],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Daphne's runserver prints its own access log; don't log each request twice.
        "django.channels.server": {"handlers": [], "propagate": False},
        # "over capacity" (dropped live deliveries) is logged at INFO.
        "channels_redis": {"level": "INFO"},
    },
}
