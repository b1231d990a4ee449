"""The settings modules as a fresh process sees them, environment by environment.

Each case starts a new interpreter with a clean environment, because settings are
read once at import.
"""

import json
import secrets
import string
import subprocess

import pytest

from tests.processes import ROOT, run_python

# Variables that choose services or change the defaults under test.
SCRUBBED = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "TASKS_BACKEND",
    "DJANGO_SETTINGS_MODULE",
    "ACCOUNT_EMAIL_VERIFICATION",
    "EMAIL_HOST",
    "SINGLE_PROCESS",
}
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/15"
SECRET_KEY = "".join(
    secrets.choice(string.ascii_letters + string.digits + "!@#%^&*(-_=+)")
    for _ in range(60)
)
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": SECRET_KEY,
    "ALLOWED_HOSTS": "whiskers.example",
    "DATABASE_URL": POSTGRES_URL,
    "SINGLE_PROCESS": "true",
}

# Prints the settings the tests look at, as JSON. Reading settings imports only the
# settings module: nothing connects to the database or Redis.
DUMP = """
import json
from django.conf import settings as s
print(json.dumps({
    "DEBUG": s.DEBUG,
    "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
    "DATABASE": {k: s.DATABASES["default"][k] for k in ("ENGINE", "NAME")},
    "CHANNEL_LAYER": s.CHANNEL_LAYERS["default"],
    "CACHE": s.CACHES["default"],
    "TASKS": s.TASKS["default"],
    "TASKS_BACKEND": s.TASKS_BACKEND,
    "RQ_QUEUES": getattr(s, "RQ_QUEUES", None),
    "INSTALLED_APPS": s.INSTALLED_APPS,
    "EMAIL_BACKEND": s.EMAIL_BACKEND,
    "ACCOUNT_EMAIL_VERIFICATION": s.ACCOUNT_EMAIL_VERIFICATION,
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
    "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
    "SECURE_PROXY_SSL_HEADER": s.SECURE_PROXY_SSL_HEADER,
    "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": s.SECURE_HSTS_INCLUDE_SUBDOMAINS,
}))
"""


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run `python <args>` in the project folder with a clean environment plus env."""
    return run_python(*args, scrub=SCRUBBED, **env)


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return run("manage.py", *args, **env)


def settings_of(module: str, **env: str) -> dict:
    result = run("-c", DUMP, **{**env, "DJANGO_SETTINGS_MODULE": module})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def failure_output(result: subprocess.CompletedProcess) -> str:
    assert result.returncode != 0, "expected the process to fail"
    return result.stdout + result.stderr


# Production


@pytest.mark.parametrize("name", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without(name):
    env = {key: value for key, value in PRODUCTION.items() if key != name}
    output = failure_output(manage("check", **env))
    assert "ImproperlyConfigured" in output
    assert f"Production settings need {name} in the environment" in output


def test_production_refuses_to_start_without_redis():
    env = {key: value for key, value in PRODUCTION.items() if key != "SINGLE_PROCESS"}
    output = failure_output(manage("check", **env))
    assert "Production settings need REDIS_URL" in output
    assert "SINGLE_PROCESS=true" in output


def test_production_with_redis_uses_it_for_cache_and_channels():
    env = {key: value for key, value in PRODUCTION.items() if key != "SINGLE_PROCESS"}
    settings = settings_of("config.settings.production", **env, REDIS_URL=REDIS_URL)
    assert settings["CACHE"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert (
        settings["CHANNEL_LAYER"]["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    )


def test_production_names_every_missing_variable():
    output = failure_output(
        manage("check", DJANGO_SETTINGS_MODULE="config.settings.production")
    )
    assert "need SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL in the environment" in output


@pytest.mark.parametrize(
    "key",
    [
        pytest.param("short-but-not-simple-0123456789", id="short"),
        pytest.param("ab" * 30, id="simple"),
    ],
)
def test_production_refuses_a_weak_secret_key(key):
    output = failure_output(manage("check", **{**PRODUCTION, "SECRET_KEY": key}))
    assert "ImproperlyConfigured" in output
    assert "SECRET_KEY is too short or too simple" in output
    assert key not in output


def test_production_passes_the_deploy_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_production_settings_are_locked_down():
    settings = settings_of("config.settings.production", **PRODUCTION)
    assert settings["DEBUG"] is False
    assert settings["ALLOWED_HOSTS"] == ["whiskers.example"]
    assert settings["DATABASE"] == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "postgres",
    }
    assert settings["ACCOUNT_EMAIL_VERIFICATION"] == "mandatory"
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SECURE_SSL_REDIRECT"] is True
    assert settings["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert settings["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 365
    assert settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True


# Base and development: the embedded defaults


@pytest.mark.parametrize(
    ("module", "debug"),
    [("config.settings.base", False), ("config.settings.dev", True)],
)
def test_nothing_set_means_embedded_services(module, debug):
    settings = settings_of(module)
    assert settings["DEBUG"] is debug
    assert settings["DATABASE"] == {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(ROOT / "db.sqlite3"),
    }
    assert settings["CHANNEL_LAYER"] == {
        "BACKEND": "channels.layers.InMemoryChannelLayer",
        "CONFIG": {"capacity": 300, "expiry": 60},  # set on purpose: see base.py
    }
    assert (
        settings["CACHE"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    )
    assert settings["TASKS_BACKEND"] == "database"
    assert settings["TASKS"] == {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
    assert "django_rq" not in settings["INSTALLED_APPS"]
    assert settings["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_redis_url_turns_on_the_redis_channel_layer_and_cache():
    settings = settings_of("config.settings.dev", REDIS_URL=REDIS_URL)
    layer = settings["CHANNEL_LAYER"]
    assert layer["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    # Reads wait longer than channels-redis's 5 s blocking receive (redis-py's
    # default of 5 s killed idle consumers).
    assert layer["CONFIG"]["hosts"] == [{"address": REDIS_URL, "socket_timeout": 15}]
    assert layer["CONFIG"]["capacity"] == 300
    assert settings["CACHE"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert settings["CACHE"]["LOCATION"] == REDIS_URL
    # Tasks stay on the database queue unless TASKS_BACKEND says otherwise.
    assert settings["TASKS"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def test_tasks_backend_rq_puts_tasks_on_redis():
    settings = settings_of(
        "config.settings.dev", REDIS_URL=REDIS_URL, TASKS_BACKEND="rq"
    )
    assert settings["TASKS"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert {"django_rq", "django_tasks_rq"} <= set(settings["INSTALLED_APPS"])
    assert settings["RQ_QUEUES"]["default"]["URL"] == REDIS_URL


def test_tasks_backend_immediate():
    settings = settings_of("config.settings.dev", TASKS_BACKEND="immediate")
    assert settings["TASKS"] == {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
    }


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"TASKS_BACKEND": "rq"},
            "TASKS_BACKEND=rq needs REDIS_URL to point at Redis.",
        ),
        (
            {"TASKS_BACKEND": "bogus"},
            "TASKS_BACKEND must be database, rq or immediate, got 'bogus'.",
        ),
    ],
    ids=["rq-without-redis", "bogus"],
)
def test_bad_tasks_backend_refuses_to_start(env, message):
    output = failure_output(
        manage("check", DJANGO_SETTINGS_MODULE="config.settings.dev", **env)
    )
    assert "ImproperlyConfigured" in output
    assert message in output


@pytest.mark.parametrize(
    "url",
    [
        "mysql://whiskers:s3cret@127.0.0.1/whiskers",
        "garbage",
        "whiskers:s3cret@db.internal",
    ],
)
def test_unusable_database_url_refuses_to_start(url):
    output = failure_output(
        manage("check", DJANGO_SETTINGS_MODULE="config.settings.dev", DATABASE_URL=url)
    )
    assert "ImproperlyConfigured: DATABASE_URL" in output
    assert "s3cret" not in output


@pytest.mark.parametrize("url", ["http://cache:6379", "redis://:s3cret@cache:port/0"])
def test_unusable_redis_url_refuses_to_start(url):
    output = failure_output(
        manage("check", DJANGO_SETTINGS_MODULE="config.settings.dev", REDIS_URL=url)
    )
    assert "ImproperlyConfigured: REDIS_URL" in output
    assert "s3cret" not in output


# Services that do not answer


def test_unreachable_database_fails_the_database_check():
    output = failure_output(
        manage(
            "check",
            "--database",
            "default",
            DJANGO_SETTINGS_MODULE="config.settings.dev",
            DATABASE_URL="postgres://postgres:s3cret@127.0.0.1:1/nothing",
        )
    )
    assert "whiskers.E001" in output
    assert "Cannot connect to the database set by DATABASE_URL" in output
    assert "s3cret" not in output
    assert "Traceback" not in output


def test_reachable_database_passes_the_database_check():
    result = manage(
        "check",
        "--database",
        "default",
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=POSTGRES_URL,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_unreachable_redis_fails_the_check():
    output = failure_output(
        manage(
            "check",
            DJANGO_SETTINGS_MODULE="config.settings.dev",
            REDIS_URL="redis://:s3cret@127.0.0.1:1/0",
        )
    )
    assert "whiskers.E002" in output
    assert "Cannot reach Redis at REDIS_URL (redis://:***@127.0.0.1:1/0)" in output
    assert "s3cret" not in output


def test_asgi_refuses_to_start_with_unreachable_redis():
    output = failure_output(
        run(
            "-c",
            "import config.asgi",
            DJANGO_SETTINGS_MODULE="config.settings.dev",
            REDIS_URL="redis://127.0.0.1:1/0",
        )
    )
    assert (
        "django.core.exceptions.ImproperlyConfigured: Cannot reach Redis at REDIS_URL"
        in output
    )
