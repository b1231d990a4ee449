"""The services REDIS_URL turns on: the RQ task queue and the Redis channel layer.

These talk to a real Redis, so they only run when REDIS_URL is set, as in the
PostgreSQL + Redis pass of .ci/run (which uses database 15).
"""

import asyncio
import os
import subprocess
import uuid

import pytest
from channels.layers import get_channel_layer
from django_tasks import TaskResultStatus, task_backends
from django_tasks.signals import task_enqueued

from blog.models import BlogPage
from tests.factories.blog import BlogPageFactory
from tests.processes import run_python, shared_database_url

REDIS_URL = os.environ.get("REDIS_URL", "")
SEARCH_TASK = "modelsearch.tasks.insert_or_update_object_task"

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(
        not REDIS_URL,
        reason="needs REDIS_URL (the PostgreSQL + Redis pass of .ci/run sets it)",
    ),
]


def task_worker(**env: str) -> subprocess.CompletedProcess:
    """`manage.py task_worker --burst` as a deploy runs it: settings from env."""
    return run_python(
        "manage.py",
        "task_worker",
        "--burst",
        scrub={"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "TASKS_BACKEND"},
        **env,
    )


@pytest.fixture
def rq_queue(settings):
    """Tasks go to RQ on REDIS_URL, as TASKS_BACKEND=rq configures them."""
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
    }
    settings.TASKS_BACKEND = "rq"


@pytest.fixture
def enqueued():
    """Every task result enqueued during the test."""
    results = []

    def record(sender, task_result, **kwargs):
        results.append(task_result)

    task_enqueued.connect(record)
    yield results
    task_enqueued.disconnect(record)


# The worker is another process, so it needs committed rows; serialized_rollback
# brings back the home page and site made by migrations.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rq_worker_runs_wagtail_tasks(rq_queue, enqueued, blog_index):
    page = BlogPageFactory(parent=blog_index, title="Redis ragamuffin")

    [search_task] = [
        result
        for result in enqueued
        if result.task.module_path == SEARCH_TASK
        and result.args == ["blog", "blogpage", str(page.pk)]
    ]
    backend = task_backends["default"]
    assert type(backend).__name__ == "RQBackend"
    assert backend.get_result(search_task.id).status == TaskResultStatus.READY
    assert list(BlogPage.objects.search("ragamuffin")) == []

    worker = task_worker(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=shared_database_url(),
        REDIS_URL=REDIS_URL,
        TASKS_BACKEND="rq",
    )

    assert worker.returncode == 0, worker.stdout + worker.stderr
    for result in enqueued:
        assert backend.get_result(result.id).status == TaskResultStatus.SUCCESSFUL
    assert list(BlogPage.objects.search("ragamuffin")) == [page]


@pytest.fixture
def redis_layer(settings):
    """The Redis channel layer on REDIS_URL, under a prefix of its own."""
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": f"test-{uuid.uuid4().hex}"},
        }
    }
    return get_channel_layer()


async def test_redis_channel_layer_group_send(redis_layer):
    first = await redis_layer.new_channel()
    second = await redis_layer.new_channel()
    outsider = await redis_layer.new_channel()
    await redis_layer.group_add("chat.room.test", first)
    await redis_layer.group_add("chat.room.test", second)

    try:
        await redis_layer.group_send(
            "chat.room.test", {"type": "chat.message", "text": "Miaow"}
        )
        for channel in (first, second):
            message = await asyncio.wait_for(redis_layer.receive(channel), timeout=5)
            assert message == {"type": "chat.message", "text": "Miaow"}
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(redis_layer.receive(outsider), timeout=0.5)
    finally:
        await redis_layer.flush()
        await redis_layer.close_pools()
