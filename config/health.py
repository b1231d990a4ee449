"""Start-up checks of the services the settings point at.

A wrong DATABASE_URL or REDIS_URL should stop the site at start with a message
that names the variable, not fail on the first request with a driver traceback.
"""

from dataclasses import dataclass
from datetime import UTC, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.utils import OperationalError
from django.utils import timezone

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


@dataclass
class QueueHealth:
    """What the task queue looks like: waiting tasks, the oldest one's wait,
    workers seen (RQ records them; the database queue does not), and a problem."""

    backend: str
    waiting: int = 0
    oldest_wait_seconds: float | None = None
    workers: int | None = None
    problem: str | None = None

    def as_dict(self) -> dict:
        return {
            "backend": self.backend,
            "waiting": self.waiting,
            "oldest_wait_seconds": None
            if self.oldest_wait_seconds is None
            else round(self.oldest_wait_seconds, 1),
            "workers": self.workers,
        }


def _too_slow(health: QueueHealth) -> QueueHealth:
    limit = settings.TASKS_MAX_WAIT_SECONDS
    if health.oldest_wait_seconds is not None and health.oldest_wait_seconds > limit:
        health.problem = (
            f"{health.waiting} background task(s) waiting, the oldest for "
            f"{health.oldest_wait_seconds:.0f} s (more than {limit} s): is a worker "
            "running (`manage.py task_worker`)?"
        )
    return health


def _database_queue() -> QueueHealth:
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready()
    health = QueueHealth(backend="database", waiting=ready.count())
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    if oldest is not None:
        health.oldest_wait_seconds = (timezone.now() - oldest).total_seconds()
    return _too_slow(health)


def _rq_queue() -> QueueHealth:
    import django_rq
    from rq import Worker

    queue = django_rq.get_queue("default")
    health = QueueHealth(backend="rq", waiting=queue.count)
    recent = timezone.now() - timedelta(seconds=settings.TASKS_WORKER_SEEN_SECONDS)
    health.workers = sum(
        1
        for worker in Worker.all(queue=queue)
        if worker.last_heartbeat and worker.last_heartbeat.replace(tzinfo=UTC) > recent
    )
    job_ids = queue.get_job_ids(0, 1)
    job = queue.fetch_job(job_ids[0]) if job_ids else None
    if job is not None and job.enqueued_at:
        enqueued = job.enqueued_at.replace(tzinfo=UTC)
        health.oldest_wait_seconds = (timezone.now() - enqueued).total_seconds()
    _too_slow(health)
    if health.problem is None and health.waiting and not health.workers:
        health.problem = (
            f"{health.waiting} background task(s) waiting and no RQ worker seen in "
            f"{settings.TASKS_WORKER_SEEN_SECONDS} s."
        )
    return health


def queue_health() -> QueueHealth:
    """The task queue of TASKS_BACKEND; an unreadable queue is itself a problem."""
    backend = settings.TASKS_BACKEND
    try:
        if backend == "database":
            return _database_queue()
        if backend == "rq":
            return _rq_queue()
    except Exception as error:
        return QueueHealth(
            backend=backend,
            problem=f"Cannot read the task queue: {type(error).__name__}",
        )
    return QueueHealth(backend=backend)  # immediate: tasks run in the request
