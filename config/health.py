"""Start-up checks of the services the settings point at.

A wrong DATABASE_URL or REDIS_URL should stop the site at start with a message
that names the variable, not fail on the first request with a driver traceback.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.utils import OperationalError

from config.env import redact


def database_problem() -> str | None:
    """None when the default database answers, else what is wrong, naming DATABASE_URL."""
    connection = connections["default"]
    try:
        connection.ensure_connection()
    except OperationalError as error:
        where = connection.settings_dict.get("HOST") or connection.settings_dict.get(
            "NAME"
        )
        first_line = (
            str(error).strip().splitlines()[0]
            if str(error).strip()
            else type(error).__name__
        )
        return f"Cannot connect to the database set by DATABASE_URL ({where}): {first_line}"
    return None


def redis_problem(url: str | None = None, timeout: float = 3.0) -> str | None:
    """None when Redis at REDIS_URL answers PING (or REDIS_URL is unset), else what is wrong."""
    url = settings.REDIS_URL if url is None else url
    if not url:
        return None
    import redis

    client = redis.Redis.from_url(
        url, socket_connect_timeout=timeout, socket_timeout=timeout
    )
    try:
        client.ping()
    except redis.RedisError as error:
        return f"Cannot reach Redis at REDIS_URL ({redact(url)}): {error}"
    finally:
        client.close()
    return None


def verify_services() -> None:
    """Raise ImproperlyConfigured when the database or Redis cannot be reached."""
    problems = [problem for problem in (database_problem(), redis_problem()) if problem]
    if problems:
        raise ImproperlyConfigured(" ".join(problems))
