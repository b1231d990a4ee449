"""config/env.py: settings read from a mapping, with errors that name the variable."""

from django.core.exceptions import ImproperlyConfigured

import pytest

from config.env import (
    database_config,
    env_bool,
    env_int,
    env_list,
    env_str,
    redact,
    redis_url,
)

SQLITE_DEFAULT = "sqlite:////srv/whiskers/db.sqlite3"


# env_str / env_bool / env_int / env_list


def test_env_str_strips_and_falls_back():
    assert env_str("NAME", "fallback", environ={}) == "fallback"
    assert env_str("NAME", environ={"NAME": "  value \n"}) == "value"


@pytest.mark.parametrize("value", ["1", "true", "TRUE", " yes ", "on"])
def test_env_bool_true(value):
    assert env_bool("FLAG", False, environ={"FLAG": value}) is True


@pytest.mark.parametrize("value", ["0", "false", "No", "off"])
def test_env_bool_false(value):
    assert env_bool("FLAG", True, environ={"FLAG": value}) is False


@pytest.mark.parametrize("environ", [{}, {"FLAG": ""}, {"FLAG": "   "}])
def test_env_bool_unset_or_blank_gives_the_default(environ):
    assert env_bool("FLAG", True, environ=environ) is True
    assert env_bool("FLAG", False, environ=environ) is False


def test_env_bool_rejects_other_words_naming_the_variable():
    with pytest.raises(ImproperlyConfigured) as error:
        env_bool("EMAIL_USE_TLS", True, environ={"EMAIL_USE_TLS": "maybe"})
    assert "EMAIL_USE_TLS" in str(error.value)
    assert "'maybe'" in str(error.value)


def test_env_int():
    assert env_int("PORT", 587, environ={}) == 587
    assert env_int("PORT", 587, environ={"PORT": " 2525 "}) == 2525
    assert env_int("PORT", 587, environ={"PORT": "-1"}) == -1


@pytest.mark.parametrize("value", ["twelve", "1.5", "10MB"])
def test_env_int_rejects_non_numbers_naming_the_variable(value):
    with pytest.raises(ImproperlyConfigured) as error:
        env_int("AVATAR_MAX_PIXELS", 10, environ={"AVATAR_MAX_PIXELS": value})
    assert "AVATAR_MAX_PIXELS" in str(error.value)
    assert repr(value) in str(error.value)


def test_env_list_splits_on_commas_and_drops_blanks():
    environ = {"ALLOWED_HOSTS": " whiskers.example, ,www.whiskers.example ,"}
    assert env_list("ALLOWED_HOSTS", environ=environ) == [
        "whiskers.example",
        "www.whiskers.example",
    ]


@pytest.mark.parametrize("environ", [{}, {"HOSTS": ""}, {"HOSTS": " , ,"}])
def test_env_list_empty_gives_the_default(environ):
    assert env_list("HOSTS", environ=environ) == []
    assert env_list("HOSTS", ["localhost"], environ=environ) == ["localhost"]


def test_env_list_default_is_copied():
    default = ["localhost"]
    env_list("HOSTS", default, environ={}).append("evil.example")
    assert default == ["localhost"]


# redact


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u:s3cret@db:5432/w", "postgres://u:***@db:5432/w"),
        ("redis://:s3cret@cache:6379/0", "redis://:***@cache:6379/0"),
        ("postgres://u:p@ss@db/w", "postgres://u:***@db/w"),
        ("postgres://u@db/w", "postgres://u@db/w"),
        ("redis://cache:6379/0", "redis://cache:6379/0"),
    ],
)
def test_redact_hides_only_the_password(url, expected):
    assert redact(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # No scheme: a URL parser would take "u" for the scheme.
        ("u:s3cret@db/w", "u:***@db/w"),
        # An unclosed IPv6 bracket makes a URL parser give up.
        ("postgres://u:s3cret@[::1/w", "postgres://u:***@[::1/w"),
        ("redis://[::1/0", "redis://[::1/0"),
        # An unescaped "/" in the password.
        ("postgres://u:s3/cret@db/w", "postgres://u:***@db/w"),
    ],
)
def test_redact_hides_all_credentials_of_malformed_urls(url, expected):
    assert redact(url) == expected


# database_config


def test_database_config_defaults_to_sqlite():
    config = database_config(SQLITE_DEFAULT, environ={})
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "/srv/whiskers/db.sqlite3"


def test_database_config_blank_database_url_means_the_default():
    config = database_config(SQLITE_DEFAULT, environ={"DATABASE_URL": "  "})
    assert config["ENGINE"] == "django.db.backends.sqlite3"


def test_database_config_postgres_url():
    config = database_config(
        SQLITE_DEFAULT,
        environ={
            "DATABASE_URL": "postgres://whiskers:s3cret@db.internal:6543/whiskers",
            "DB_CONN_MAX_AGE": "60",
        },
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "whiskers"
    assert config["USER"] == "whiskers"
    assert config["PASSWORD"] == "s3cret"
    assert config["HOST"] == "db.internal"
    assert config["PORT"] == 6543
    assert config["CONN_MAX_AGE"] == 60
    assert config["CONN_HEALTH_CHECKS"] is True


def test_database_config_keeps_query_options():
    config = database_config(
        SQLITE_DEFAULT,
        environ={"DATABASE_URL": "postgresql://u@db/w?sslmode=require"},
    )
    assert config["OPTIONS"] == {"sslmode": "require"}


def test_database_config_bad_conn_max_age_names_its_variable():
    with pytest.raises(ImproperlyConfigured, match="DB_CONN_MAX_AGE"):
        database_config(
            SQLITE_DEFAULT,
            environ={"DATABASE_URL": "postgres://u@db/w", "DB_CONN_MAX_AGE": "long"},
        )


@pytest.mark.parametrize(
    "url",
    [
        "mysql://whiskers:s3cret@db/whiskers",
        "oracle://whiskers:s3cret@db/whiskers",
        "foo://whiskers:s3cret@db/whiskers",
        "postgres://whiskers:s3cret@db:notaport/whiskers",
        "postgres://whiskers:s3cret@db:5432/",
        "postgres://whiskers:s3cret@[::1/whiskers",
        "garbage",
        "whiskers:s3cret@db",
    ],
)
def test_database_config_refuses_unusable_urls_naming_database_url(url):
    with pytest.raises(ImproperlyConfigured) as error:
        database_config(SQLITE_DEFAULT, environ={"DATABASE_URL": url})
    message = str(error.value)
    assert "DATABASE_URL" in message
    assert "s3cret" not in message


def test_database_config_unsupported_engine_message_shows_the_redacted_url():
    with pytest.raises(ImproperlyConfigured) as error:
        database_config(
            SQLITE_DEFAULT, environ={"DATABASE_URL": "mysql://w:s3cret@db/w"}
        )
    assert "PostgreSQL or SQLite" in str(error.value)
    assert "mysql://w:***@db/w" in str(error.value)


# redis_url


@pytest.mark.parametrize("environ", [{}, {"REDIS_URL": ""}, {"REDIS_URL": "  "}])
def test_redis_url_unset_is_empty(environ):
    assert redis_url(environ=environ) == ""


@pytest.mark.parametrize(
    "url",
    [
        "redis://127.0.0.1:6379/0",
        "redis://cache",
        "rediss://:s3cret@cache.internal:6380/1",
        "redis://user:s3cret@cache:6379/15",
        "unix:///run/redis/redis.sock",
    ],
)
def test_redis_url_accepts_good_urls(url):
    assert redis_url(environ={"REDIS_URL": f" {url} "}) == url


@pytest.mark.parametrize(
    "url",
    [
        "http://:s3cret@cache:6379/0",
        "memcached://:s3cret@cache:11211",
        "cache:6379",
        "redis://:s3cret@/0",
        "redis://",
        "redis://:s3cret@cache:port/0",
        "redis://:s3cret@cache:99999/0",
        "redis://:s3cret@[::1/0",
    ],
)
def test_redis_url_refuses_bad_urls_naming_redis_url(url):
    with pytest.raises(ImproperlyConfigured) as error:
        redis_url(environ={"REDIS_URL": url})
    message = str(error.value)
    assert "REDIS_URL" in message
    assert "s3cret" not in message


def test_redis_url_bad_port_says_so():
    with pytest.raises(ImproperlyConfigured, match="invalid port") as error:
        redis_url(environ={"REDIS_URL": "redis://:s3cret@cache:port/0"})
    assert "redis://:***@cache:port/0" in str(error.value)


def test_db_pool_size_turns_on_psycopgs_pool():
    url = {"DATABASE_URL": "postgres://u:p@db:5432/whiskers"}
    pooled = database_config("sqlite:///x", {**url, "DB_POOL_SIZE": "16"})
    assert pooled["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 16}
    assert pooled["CONN_MAX_AGE"] == 0
    assert "pool" not in database_config("sqlite:///x", url).get("OPTIONS", {})
    sqlite = database_config("sqlite:///x", {"DB_POOL_SIZE": "16"})
    assert "pool" not in sqlite.get("OPTIONS", {})
