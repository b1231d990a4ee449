"""Local development: `make run`. DEBUG on, a throwaway key, console email."""

from config.env import env_list, env_str

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, LOGGING, STORAGES

DEBUG = True
# Only ever used on a developer's machine; production.py refuses to start without SECRET_KEY.
SECRET_KEY = (
    env_str("SECRET_KEY") or "dev-only-insecure-key-change-me-in-production-0123456789"
)
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
INTERNAL_IPS = env_list("INTERNAL_IPS", ["127.0.0.1"])
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "optional")
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Wagtail logs every page edit at INFO (its audit log keeps them anyway): keep the
# make run terminal for requests, emails and errors.
LOGGING["loggers"]["wagtail"] = {"level": "WARNING"}
