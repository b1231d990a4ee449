"""The database task queue runs Wagtail's background work through `task_worker`.

The test settings run tasks at once (ImmediateBackend); here TASKS is switched to
the database queue that development and production use by default, so saving a
page only queues its search indexing until a worker runs.
"""

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from blog.models import BlogPage
from tests.factories.blog import BlogPageFactory

# The worker calls close_old_connections(), which closes a connection left inside a
# test's wrapping transaction: the queue needs committed rows, as in real use.
# serialized_rollback brings back the home page and site made by migrations.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SEARCH_TASK = "modelsearch.tasks.insert_or_update_object_task"


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    settings.TASKS_BACKEND = "database"


def search_tasks_for(page) -> list[DBTaskResult]:
    return [
        result
        for result in DBTaskResult.objects.filter(task_path=SEARCH_TASK)
        if result.args_kwargs["args"] == ["blog", "blogpage", str(page.pk)]
    ]


def found(word: str) -> list[BlogPage]:
    return list(BlogPage.objects.search(word))


def run_worker() -> None:
    call_command("task_worker", burst=True, verbosity=0)


def test_saving_a_page_queues_its_search_indexing(database_queue, blog_index):
    page = BlogPageFactory(parent=blog_index, title="Zanzibar whiskerfest")

    [queued] = search_tasks_for(page)
    assert queued.status == TaskResultStatus.READY
    assert queued.backend_name == "default"
    assert queued.queue_name == "default"
    assert found("zanzibar") == []

    run_worker()

    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    assert queued.finished_at is not None
    assert found("zanzibar") == [page]
    assert not DBTaskResult.objects.ready().exists()


def test_publishing_a_revision_queues_reindexing(database_queue, blog_index):
    page = BlogPageFactory(parent=blog_index, title="A quiet post")
    run_worker()
    assert found("quiet") == [page]

    page.title = "Quokka hour"
    page.save_revision().publish()

    pending = [
        result
        for result in search_tasks_for(page)
        if result.status == TaskResultStatus.READY
    ]
    assert pending
    assert found("quokka") == []

    run_worker()

    assert {result.status for result in search_tasks_for(page)} == {
        TaskResultStatus.SUCCESSFUL
    }
    assert found("quokka") == [page]
    assert found("quiet") == []


def test_a_failing_task_is_recorded_and_the_worker_keeps_going(
    database_queue, blog_index
):
    from modelsearch.tasks import insert_or_update_object_task

    missing = insert_or_update_object_task.enqueue("blog", "blogpage", "999999")
    page = BlogPageFactory(parent=blog_index, title="Resilient ragdoll")

    run_worker()

    failed = DBTaskResult.objects.get(id=missing.id)
    assert failed.status == TaskResultStatus.FAILED
    assert failed.exception_class_path.endswith("BlogPage.DoesNotExist")
    assert "BlogPage matching query does not exist" in failed.traceback
    [indexed] = search_tasks_for(page)
    assert indexed.status == TaskResultStatus.SUCCESSFUL
    assert failed.finished_at <= indexed.started_at
    assert found("ragdoll") == [page]

    result = insert_or_update_object_task.get_result(missing.id)
    assert result.status == TaskResultStatus.FAILED
    [error] = result.errors
    assert error.exception_class_path == failed.exception_class_path
    assert "DoesNotExist" in error.traceback


def test_task_worker_refuses_the_immediate_backend(settings):
    settings.TASKS_BACKEND = "immediate"
    with pytest.raises(CommandError, match="no worker to start"):
        call_command("task_worker", burst=True)
