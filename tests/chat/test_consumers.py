"""ChatConsumer over a real channel layer: who may connect, who may post, what is
broadcast to whom, and how bad frames are answered.

The layer is whatever the settings pick (in-memory, or channels_redis when
REDIS_URL is set), so the tests only talk to it through WebsocketCommunicator.
"""

import json
from datetime import UTC, datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import timezone

import pytest
from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from chat import routing
from chat.consumers import CLOSE_FORBIDDEN, CLOSE_UNKNOWN_ROOM, MAX_FRAME_BYTES
from chat.models import MAX_MESSAGE_LENGTH, Message
from tests.factories.chat import RoomFactory

pytestmark = pytest.mark.django_db(transaction=True)

application = URLRouter(routing.websocket_urlpatterns)

# Generous: a Redis layer delivers a little later than the in-memory one.
TIMEOUT = 3
QUIET = 0.5


@pytest.fixture
async def connect():
    """connect(room, user) -> an accepted communicator, disconnected after the test."""
    opened = []

    async def _connect(room, user=None, *, expect_accepted=True):
        communicator = WebsocketCommunicator(application, f"/ws/chat/{room.slug}/")
        communicator.scope["user"] = user or AnonymousUser()
        connected, code = await communicator.connect(timeout=TIMEOUT)
        if connected:
            opened.append(communicator)
        assert connected is expect_accepted, f"connect gave {connected}, {code}"
        return communicator if connected else code

    yield _connect
    for communicator in opened:
        await communicator.disconnect(timeout=TIMEOUT)


@pytest.fixture
def room(db):
    return RoomFactory(name="General", slug="general")


@database_sync_to_async
def stored_bodies(room=None) -> list[str]:
    messages = Message.objects.order_by("pk")
    if room is not None:
        messages = messages.filter(room=room)
    return list(messages.values_list("body", flat=True))


async def receive(communicator) -> dict:
    return await communicator.receive_json_from(timeout=TIMEOUT)


async def assert_error(communicator, code: str) -> None:
    frame = await receive(communicator)
    assert frame["type"] == "error"
    assert frame["code"] == code
    assert frame["error"]  # a reason fit to show the sender
    assert await communicator.receive_nothing(timeout=QUIET)


# Connecting


async def test_unknown_room_closes_with_4404(connect, member):
    missing = RoomFactory.build(slug="no-such-room")
    code = await connect(missing, member, expect_accepted=False)
    assert code == CLOSE_UNKNOWN_ROOM == 4404


async def test_members_only_room_refuses_anonymous_with_4403(connect):
    private = await database_sync_to_async(RoomFactory)(is_public=False)
    code = await connect(private, expect_accepted=False)
    assert code == CLOSE_FORBIDDEN == 4403


async def test_members_only_room_accepts_a_member(connect, member):
    private = await database_sync_to_async(RoomFactory)(is_public=False)
    await connect(private, member)


async def test_session_cookie_identifies_the_member(member):
    """The real stack: AuthMiddlewareStack reads the user from the session cookie."""
    private = await database_sync_to_async(RoomFactory)(is_public=False)

    @database_sync_to_async
    def session_cookie() -> str:
        client = Client()
        client.force_login(member)
        return client.cookies["sessionid"].value

    stack = AuthMiddlewareStack(application)
    path = f"/ws/chat/{private.slug}/"
    anonymous = WebsocketCommunicator(stack, path)
    assert await anonymous.connect(timeout=TIMEOUT) == (False, CLOSE_FORBIDDEN)

    cookie = f"sessionid={await session_cookie()}".encode()
    signed_in = WebsocketCommunicator(stack, path, headers=[(b"cookie", cookie)])
    connected, _ = await signed_in.connect(timeout=TIMEOUT)
    assert connected
    try:
        await signed_in.send_json_to({"body": "Hello from a real session"})
        frame = await receive(signed_in)
        assert frame["type"] == "message"
        assert frame["message"]["author"] == "Wendy Whiskerfan"
    finally:
        await signed_in.disconnect(timeout=TIMEOUT)


# Reading and posting


async def test_anonymous_reads_a_public_room_but_cannot_post(connect, room, member):
    reader = await connect(room)
    writer = await connect(room, member)

    await reader.send_json_to({"body": "Let me in"})
    await assert_error(reader, "not_authenticated")
    assert await stored_bodies() == []

    await writer.send_json_to({"body": "Welcome, reader"})
    frame = await receive(reader)
    assert frame["type"] == "message"
    assert frame["message"]["body"] == "Welcome, reader"


async def test_members_message_is_saved_and_sent_to_the_room_only(
    connect, room, member, other_member
):
    elsewhere = await database_sync_to_async(RoomFactory)(name="Kittens")
    author = await connect(room, member)
    listener = await connect(room, other_member)
    outsider = await connect(elsewhere, other_member)

    await author.send_json_to({"body": "  Has anyone seen my cat?  "})

    frame = await receive(listener)
    saved = await database_sync_to_async(Message.objects.select_related("author").get)()
    assert saved.room_id == room.pk
    assert saved.author == member
    assert saved.body == "Has anyone seen my cat?"  # trimmed
    assert frame == {
        "type": "message",
        "message": {
            "id": saved.pk,
            "room": "general",
            "author": "Wendy Whiskerfan",
            "author_url": member.get_absolute_url(),
            "author_avatar": "",
            "author_initials": member.initials,
            "author_hue": member.avatar_hue,
            "body": "Has anyone seen my cat?",
            "created": saved.created_at.isoformat(),
        },
    }
    assert await receive(author) == frame  # the sender sees it arrive too
    assert await outsider.receive_nothing(timeout=QUIET)
    assert await listener.receive_nothing(timeout=QUIET)  # once, not twice


async def test_html_is_stored_and_sent_as_text_verbatim(connect, room, member):
    body = '<b>bold</b> & <script>alert("hi")</script> <img src=x onerror=alert(1)>'
    author = await connect(room, member)

    await author.send_json_to({"body": body})

    frame = await receive(author)
    assert frame["message"]["body"] == body
    assert await stored_bodies() == [body]


async def test_longest_message_of_four_byte_characters_fits_in_a_frame(
    connect, room, member
):
    """The frame limit must not refuse a message the length limit allows."""
    body = "🐱" * MAX_MESSAGE_LENGTH
    author = await connect(room, member)

    await author.send_to(text_data=json.dumps({"body": body}, ensure_ascii=False))

    frame = await receive(author)
    assert frame["type"] == "message"
    assert await stored_bodies() == [body]


# Refused frames: an error frame with a code, nothing saved, the socket stays open


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        pytest.param({"text_data": json.dumps({"body": ""})}, "empty", id="empty"),
        pytest.param(
            {"text_data": json.dumps({"body": " \n\t "})}, "empty", id="blank"
        ),
        pytest.param(
            {"text_data": json.dumps({"body": "x" * (MAX_MESSAGE_LENGTH + 1)})},
            "too_long",
            id="too-long",
        ),
        pytest.param({"text_data": "{not json"}, "bad_json", id="invalid-json"),
        pytest.param({"text_data": '["a list"]'}, "bad_frame", id="list"),
        pytest.param({"text_data": '"a string"'}, "bad_frame", id="string"),
        pytest.param({"text_data": "null"}, "bad_frame", id="null"),
        pytest.param({"text_data": '{"text": "hi"}'}, "bad_frame", id="no-body"),
        pytest.param({"text_data": '{"body": 42}'}, "bad_frame", id="body-not-text"),
        pytest.param(
            {"bytes_data": json.dumps({"body": "hi"}).encode()},
            "bad_frame",
            id="binary",
        ),
        pytest.param(
            {"text_data": json.dumps({"body": "x" * MAX_FRAME_BYTES})},
            "bad_frame",
            id="oversized",
        ),
    ],
)
async def test_bad_frames_get_an_error_and_save_nothing(
    connect, room, member, frame, code
):
    author = await connect(room, member)

    await author.send_to(**frame)

    await assert_error(author, code)
    assert await stored_bodies() == []
    # The connection survives a bad frame.
    await author.send_json_to({"body": "Still here"})
    assert (await receive(author))["message"]["body"] == "Still here"


async def test_rate_limit_refuses_the_eleventh_message_in_the_window(
    connect, room, member, monkeypatch, settings
):
    assert settings.CHAT_RATE_LIMIT == (10, 10)
    # A frozen clock at the start of a window, so the run can't straddle two.
    clock = {"now": datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    author = await connect(room, member)

    for number in range(1, 11):
        await author.send_json_to({"body": f"Meow {number}"})
        assert (await receive(author))["type"] == "message"
    await author.send_json_to({"body": "Meow 11"})

    await assert_error(author, "rate_limited")
    assert await stored_bodies() == [f"Meow {number}" for number in range(1, 11)]

    clock["now"] += timedelta(seconds=10)
    await author.send_json_to({"body": "Meow again"})
    assert (await receive(author))["message"]["body"] == "Meow again"
