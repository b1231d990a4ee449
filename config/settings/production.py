"""Production: every secret and host from the environment, HTTPS only.

Refuses to start without SECRET_KEY, ALLOWED_HOSTS or DATABASE_URL.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, REDIS_URL, SECRET_KEY

missing = [
    name
    for name, value in [("SECRET_KEY", SECRET_KEY), ("ALLOWED_HOSTS", ALLOWED_HOSTS)]
    if not value
]
if not os.environ.get("DATABASE_URL", "").strip():
    missing.append("DATABASE_URL")
if missing:
    raise ImproperlyConfigured(
        f"Production settings need {', '.join(missing)} in the environment (see the configuration table in README.md)."
    )
# Without Redis, the cache (rate limits, presence) and the channel layer (live
# chat) live inside each process: with two web processes, limits halve in effect
# and chat messages miss half the readers. Only an explicit single-process
# deployment may run so.
SINGLE_PROCESS = env_bool("SINGLE_PROCESS", False)
if not REDIS_URL and not SINGLE_PROCESS:
    raise ImproperlyConfigured(
        "Production settings need REDIS_URL (shared cache, rate limits and channel "
        "layer for every process). To run one single web process without Redis, "
        "set SINGLE_PROCESS=true."
    )
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured(
        "SECRET_KEY is too short or too simple: use at least 50 random characters."
    )

DEBUG = False

# HTTPS: behind a proxy that terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^healthz/tasks/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# Deliberate choices that `manage.py check --deploy` would otherwise warn about:
# W019: X_FRAME_OPTIONS is SAMEORIGIN because Wagtail's preview panel frames the site.
# W021: HSTS preload is hard to undo, so it is opt-in (SECURE_HSTS_PRELOAD=true).
SILENCED_SYSTEM_CHECKS = ["security.W019", "security.W021"]
