"""Start the background task worker that matches TASKS_BACKEND.

database: django-tasks-db's `db_worker` (the default; any number can run).
rq: django-rq's `rqworker` with django-tasks-rq's job class, for Redis queues.
Before starting, member photos still waiting for the cat classifier are queued again
(gallery.labelling.requeue_pending).
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from gallery.labelling import requeue_pending


class Command(BaseCommand):
    help = "Run the background task worker for the configured TASKS_BACKEND."

    def add_arguments(self, parser):
        parser.add_argument(
            "--burst", action="store_true", help="Run what is queued now, then exit."
        )

    def handle(self, *args, burst=False, **options):
        backend = settings.TASKS_BACKEND
        queues = settings.TASKS["default"].get("QUEUES", ["default"])
        if backend not in ("database", "rq"):
            raise CommandError(
                f"TASKS_BACKEND={backend} runs tasks inside the web process: "
                "there is no worker to start."
            )
        # Photos still pending (a worker killed mid-job, a model file fixed) are
        # queued again: django-tasks-db never reruns a job left "running".
        if requeued := requeue_pending():
            self.stdout.write(
                f"Queued {requeued} pending photo(s) for the cat classifier."
            )
        if backend == "database":
            # No autoreloader (on by default under DEBUG): its child process would
            # outlive a killed parent and go on taking jobs beside the restarted one.
            call_command(
                "db_worker", queue_name=",".join(queues), batch=burst, reload=False
            )
        else:
            call_command(
                "rqworker", *queues, job_class="django_tasks_rq.Job", burst=burst
            )
