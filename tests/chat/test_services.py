from django.contrib.auth.models import AnonymousUser

import pytest

from chat import services
from chat.models import Message
from tests.factories.chat import MessageFactory, RoomFactory

pytestmark = pytest.mark.django_db


def test_post_message_saves_then_broadcasts_after_commit(
    member, monkeypatch, django_capture_on_commit_callbacks
):
    room = RoomFactory()
    sent = []
    monkeypatch.setattr(
        services, "broadcast", lambda room, payload: sent.append(payload)
    )

    with django_capture_on_commit_callbacks(execute=True):
        message = services.post_message(room, member, "Hello")
        assert sent == []  # nothing goes out before the row is committed

    assert Message.objects.get() == message
    assert sent == [services.serialize_message(message)]
    assert sent[0]["author"] == member.get_display_name()


def test_a_channel_layer_failure_loses_no_message(
    member, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    room = RoomFactory()

    def broken_layer():
        raise ConnectionError("Redis went away")

    monkeypatch.setattr(services, "get_channel_layer", broken_layer)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(room, member, "Still saved")

    assert Message.objects.get().body == "Still saved"
    assert "Could not broadcast" in caplog.text


@pytest.mark.parametrize(
    ("user_kind", "body", "code"),
    [
        ("anonymous", "hi", "not_authenticated"),
        ("inactive", "hi", "forbidden"),
        ("member", "", "empty"),
        ("member", "x" * 2001, "too_long"),
    ],
)
def test_refused_messages_raise_with_a_code(member, user_kind, body, code):
    room = RoomFactory()
    user = {"anonymous": AnonymousUser(), "member": member, "inactive": member}[
        user_kind
    ]
    if user_kind == "inactive":
        member.is_active = False
    with pytest.raises(services.ChatError) as refused:
        services.post_message(room, user, body)
    assert refused.value.code == code
    assert refused.value.reason
    assert not Message.objects.exists()


def test_recent_messages_are_the_last_ones_oldest_first(member):
    room = RoomFactory()
    messages = MessageFactory.create_batch(5, room=room, author=member)
    MessageFactory(body="elsewhere")
    assert services.recent_messages(room, limit=3) == messages[2:]
