"""/healthz/ reports the task queue; /healthz/tasks/ fails when it is stuck.

Regression for the hardening issue: with production settings and no worker, an
upload left two tasks waiting while /healthz/ said ok.
"""

import os
from datetime import timedelta

from django.utils import timezone

import pytest
from django_tasks_db.models import DBTaskResult

from config.health import queue_health

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    settings.TASKS_BACKEND = "database"
    settings.TASKS_MAX_WAIT_SECONDS = 60


def waiting_task(seconds_ago: int) -> DBTaskResult:
    from config.health import _database_queue  # noqa: F401 - the module under test

    result = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="wagtail.images.tasks.set_image_focal_point_task",
        queue_name="default",
        backend_name="default",
        run_after=timezone.now() - timedelta(days=1),
    )
    DBTaskResult.objects.filter(pk=result.pk).update(
        enqueued_at=timezone.now() - timedelta(seconds=seconds_ago)
    )
    return result


def test_an_empty_queue_is_ok(client, database_queue):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "tasks": {
            "backend": "database",
            "waiting": 0,
            "oldest_wait_seconds": None,
            "workers": None,
        },
    }
    assert client.get("/healthz/tasks/").status_code == 200


def test_fresh_tasks_are_ok(client, database_queue):
    waiting_task(5)
    body = client.get("/healthz/").json()
    assert body["status"] == "ok"
    assert body["tasks"]["waiting"] == 1
    assert 4 <= body["tasks"]["oldest_wait_seconds"] < 60


def test_tasks_waiting_too_long_degrade_the_site_and_fail_the_task_check(
    client, database_queue
):
    waiting_task(600)
    waiting_task(30)
    site = client.get("/healthz/")
    assert site.status_code == 200  # the web process can still serve
    assert site.json()["status"] == "degraded"
    assert site.json()["tasks"]["waiting"] == 2
    tasks = client.get("/healthz/tasks/")
    assert tasks.status_code == 503
    assert (
        "2 background task(s) waiting, the oldest for 600 s" in tasks.json()["problem"]
    )
    assert "task_worker" in tasks.json()["problem"]


def test_the_immediate_backend_has_no_queue(settings):
    settings.TASKS_BACKEND = "immediate"
    health = queue_health()
    assert health.problem is None and health.waiting == 0


def test_an_unreadable_queue_is_a_problem(database_queue, monkeypatch):
    def broken():
        raise RuntimeError("table is gone")

    monkeypatch.setattr(DBTaskResult.objects, "ready", broken)
    assert queue_health().problem == "Cannot read the task queue: RuntimeError"


@pytest.mark.redis
@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="needs REDIS_URL (the PostgreSQL + Redis pass of .ci/run sets it)",
)
def test_rq_tasks_waiting_without_a_worker_fail_the_task_check(
    client, settings, django_capture_on_commit_callbacks
):
    import django_rq

    settings.TASKS_BACKEND = "rq"
    settings.RQ_QUEUES = {"default": {"URL": os.environ["REDIS_URL"]}}
    queue = django_rq.get_queue("default")
    queue.empty()
    try:
        # django-rq enqueues when the test's transaction would commit.
        with django_capture_on_commit_callbacks(execute=True):
            queue.enqueue("builtins.print", "never run")
        body = client.get("/healthz/tasks/").json()
        assert body["status"] == "error"
        assert body["tasks"]["waiting"] == 1
        assert body["tasks"]["workers"] == 0
        assert "no RQ worker seen" in body["problem"]
    finally:
        queue.empty()
