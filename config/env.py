"""Reading settings from the environment, with errors that name the variable.

Plain functions over a mapping (``os.environ`` by default) so they are easy to test.
"""

import os
from collections.abc import Mapping
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

import dj_database_url

REDIS_SCHEMES = ("redis", "rediss", "unix")


def env_str(
    name: str, default: str = "", environ: Mapping[str, str] = os.environ
) -> str:
    return environ.get(name, default).strip()


def env_bool(name: str, default: bool, environ: Mapping[str, str] = os.environ) -> bool:
    value = environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {value!r}.")


def env_int(name: str, default: int, environ: Mapping[str, str] = os.environ) -> int:
    value = environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, got {value!r}."
        ) from None


def env_list(
    name: str, default: list[str] | None = None, environ: Mapping[str, str] = os.environ
) -> list[str]:
    """A comma-separated list; blanks are dropped."""
    value = environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or list(default or [])


def redact(url: str) -> str:
    """The URL with its password hidden, for error messages and logs.

    Plain string work rather than a URL parser, so a malformed URL (no scheme, an
    unclosed IPv6 bracket, an unescaped "/" or "@" in the password) hides it too:
    everything between the user name and the last "@" counts as the password.
    """
    prefix, separator, rest = url.partition("://")
    if not separator:
        prefix, rest = "", url
    if "@" not in rest:
        return url
    credentials, _, location = rest.rpartition("@")
    user, colon, _ = credentials.partition(":")
    return f"{prefix}{separator}{user}{':***' if colon else ''}@{location}"


def database_config(default_url: str, environ: Mapping[str, str] = os.environ) -> dict:
    """The default database from DATABASE_URL, else ``default_url`` (SQLite)."""
    url = environ.get("DATABASE_URL", "").strip() or default_url
    try:
        config = dj_database_url.parse(
            url,
            conn_max_age=env_int("DB_CONN_MAX_AGE", 0, environ),
            conn_health_checks=True,
        )
    except ValueError as error:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a database URL Django can use ({redact(url)}): {error}"
        ) from None
    if config.get("ENGINE") not in {
        "django.db.backends.postgresql",
        "django.db.backends.sqlite3",
    }:
        raise ImproperlyConfigured(
            f"DATABASE_URL must point at PostgreSQL or SQLite, got {redact(url)}."
        )
    if config["ENGINE"] == "django.db.backends.postgresql" and not config.get("NAME"):
        raise ImproperlyConfigured(
            f"DATABASE_URL names no database: {redact(url)} (add /<name> at the end)."
        )
    pool_size = env_int("DB_POOL_SIZE", 0, environ)
    if pool_size and config["ENGINE"] == "django.db.backends.postgresql":
        # Under ASGI each request runs in a thread of its own, so persistent
        # connections don't help; psycopg's pool (Django 5.1+) does.
        config["CONN_MAX_AGE"] = 0
        config["CONN_HEALTH_CHECKS"] = False
        config.setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(2, pool_size),
            "max_size": pool_size,
        }
    return config


def redis_url(environ: Mapping[str, str] = os.environ) -> str:
    """REDIS_URL, checked for shape; empty when unset (embedded defaults)."""
    url = environ.get("REDIS_URL", "").strip()
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        raise ImproperlyConfigured(
            f"REDIS_URL is not a valid URL: {redact(url)}."
        ) from None
    if parts.scheme not in REDIS_SCHEMES or (
        parts.scheme != "unix" and not parts.hostname
    ):
        raise ImproperlyConfigured(
            f"REDIS_URL must look like redis://host:6379/0, got {redact(url)}."
        )
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ImproperlyConfigured(
            f"REDIS_URL has an invalid port: {redact(url)}."
        ) from None
    return url
