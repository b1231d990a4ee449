"""chat/0003 numbers the messages saved before seq existed."""

from datetime import timedelta

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("chat", "0002_sequence_moderation")]
AFTER = [("chat", "0004_message_seq_required")]


def test_existing_messages_are_numbered_by_time_then_id(member):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Room = apps.get_model("chat", "Room")
    Message = apps.get_model("chat", "Message")
    general = Room.objects.create(name="General", slug="general")
    kittens = Room.objects.create(name="Kittens", slug="kittens")
    now = timezone.now()
    rows = [
        (general, "third", now),
        (general, "first", now - timedelta(minutes=5)),
        (kittens, "only", now),
        (general, "second", now - timedelta(minutes=1)),
        (general, "fourth (same time, later id)", now),
    ]
    for room, body, created in rows:
        message = Message.objects.create(room=room, author_id=member.pk, body=body)
        Message.objects.filter(pk=message.pk).update(created_at=created)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Room = apps.get_model("chat", "Room")
    Message = apps.get_model("chat", "Message")

    numbered = list(
        Message.objects.filter(room__slug="general")
        .order_by("seq")
        .values_list("seq", "body")
    )
    assert numbered == [
        (1, "first"),
        (2, "second"),
        (3, "third"),
        (4, "fourth (same time, later id)"),
    ]
    assert list(
        Message.objects.filter(room__slug="kittens").values_list("seq", flat=True)
    ) == [1]
    assert Room.objects.get(slug="general").last_seq == 4
    assert Room.objects.get(slug="kittens").last_seq == 1

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest
