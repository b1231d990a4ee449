"""Settings for benchmarks/chat.py: production's (DEBUG off, the same middleware,
channel capacities and templates), with the per-member limits lifted so five
senders can push 20 messages a second and an unpaced burst."""

from config.env import env_str
from config.settings.production import *  # noqa: F403
from config.settings.production import DATABASES

CHAT_RATE_LIMIT = (1_000_000, 1)
CHAT_FRAME_LIMIT = (1_000_000, 1_000_000)
DATABASES["default"]["TEST"] = {"NAME": env_str("CHAT_BENCH_TEST_DATABASE")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # As production should run (DB_POOL_SIZE): psycopg's connection pool.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 4,
        "max_size": 16,
    }
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # Dropped live deliveries: consumers log them; channels_redis says "over capacity".
    "loggers": {"chat": {"level": "WARNING"}, "channels_redis": {"level": "INFO"}},
}
