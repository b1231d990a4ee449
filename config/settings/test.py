"""The test suite: fast hashing, tasks run at once, plain static storage.

DATABASE_URL and REDIS_URL still apply, so .ci/run can run the same suite on
PostgreSQL and Redis. The cache stays local so tests cannot leak rate-limit
counters into each other.
"""

import os
import tempfile
from pathlib import Path

from config.env import env_str

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, STORAGES

DEBUG = False
SECRET_KEY = "test-only-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "optional")
WAGTAILADMIN_BASE_URL = "http://testserver"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="whiskers-test-media-"))
# Trained cat models of a test run never mix with a developer's var/cat-models (and
# its ACTIVE choice): the shipped model is the active one.
CAT_MODEL_DIR = MEDIA_ROOT.with_name(MEDIA_ROOT.name + "-cat-models")

# var/ holds the SQLite test database and make run's supervisord pid file.
(BASE_DIR / "var").mkdir(exist_ok=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so the browser tests' live server process shares it;
    # one per run, so runs side by side don't collide.
    DATABASES["default"]["TEST"] = {
        "NAME": str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3")
    }
else:
    # Named explicitly: the browser tests' live server (channels.testing) reads
    # TEST NAME, and would otherwise prefix "test_" to an already-prefixed name.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}"}

# Serve static files straight from the apps, as in development (no collectstatic).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "loggers": {"django_tasks": {"level": "WARNING"}, "wagtail": {"level": "WARNING"}},
}
