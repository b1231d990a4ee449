"""ChatConsumer over a real channel layer: who may connect, who may post, what is
broadcast to whom, and how bad frames are answered.

The layer is whatever the settings pick (in-memory, or channels_redis when
REDIS_URL is set), so the tests only talk to it through WebsocketCommunicator.
"""

import asyncio
import json
import threading
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

import pytest
from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from chat import routing, services
from chat.consumers import (
    CLOSE_FLOODING,
    CLOSE_FORBIDDEN,
    CLOSE_NOT_READING,
    CLOSE_UNKNOWN_ROOM,
    MAX_FRAME_BYTES,
    MAX_POSTS_IN_FLIGHT,
)
from chat.models import MAX_MESSAGE_LENGTH, Message, RoomMute
from tests.factories.chat import MessageFactory, RoomFactory

pytestmark = pytest.mark.django_db(transaction=True)

application = URLRouter(routing.websocket_urlpatterns)

# Generous: a Redis layer delivers a little later than the in-memory one.
TIMEOUT = 3
QUIET = 0.5


@pytest.fixture
async def connect():
    """connect(room, user) -> an accepted communicator whose "hello" frame has been
    read (kept as .hello), disconnected after the test."""
    opened = []

    async def _connect(room, user=None):
        communicator = WebsocketCommunicator(application, f"/ws/chat/{room.slug}/")
        communicator.scope["user"] = user or AnonymousUser()
        connected, code = await communicator.connect(timeout=TIMEOUT)
        assert connected, f"connect gave {connected}, {code}"
        opened.append(communicator)
        communicator.hello = await communicator.receive_json_from(timeout=TIMEOUT)
        assert communicator.hello["type"] == "hello"
        return communicator

    yield _connect
    for communicator in opened:
        if not communicator.future.done():  # not already disconnected by the test
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


async def receive(communicator, kind="message") -> dict:
    """The next frame of ``kind``, skipping presence and typing notices. A
    "messages" frame (several saved together) counts as its "message" frames."""
    waiting = communicator.__dict__.setdefault("waiting_messages", [])
    if waiting:
        return {"type": "message", "message": waiting.pop(0)}
    while True:
        frame = await communicator.receive_json_from(timeout=TIMEOUT)
        if frame["type"] == "messages":
            waiting.extend(frame["messages"][1:])
            return {"type": "message", "message": frame["messages"][0]}
        if frame["type"] == kind or frame["type"] not in {"presence", "typing"}:
            return frame


async def nothing_more(communicator) -> bool:
    """True if no frame but presence notices arrives for a while. (A timeout in
    receive_output would cancel the consumer: receive_nothing does not.)"""
    while not await communicator.receive_nothing(timeout=QUIET):
        frame = await communicator.receive_json_from()
        if frame["type"] != "presence":
            return False
    return True


async def assert_error(communicator, code: str) -> None:
    frame = await receive(communicator, "error")
    assert frame["type"] == "error"
    assert frame["code"] == code
    assert frame["error"]  # a reason fit to show the sender
    assert await nothing_more(communicator)


# Connecting


async def refused(room, user=None) -> tuple[dict, dict]:
    """A refused connection: accepted, an error frame, then a close with a code."""
    communicator = WebsocketCommunicator(application, f"/ws/chat/{room.slug}/")
    communicator.scope["user"] = user or AnonymousUser()
    connected, _ = await communicator.connect(timeout=TIMEOUT)
    assert connected  # so the browser sees the close code, not a failed handshake
    frame = await communicator.receive_json_from(timeout=TIMEOUT)
    close = await communicator.receive_output(timeout=TIMEOUT)
    # End the consumer before the test's event loop ends: one left waiting on a
    # shared Redis layer would hold its receive lock for the next test.
    await communicator.disconnect(timeout=TIMEOUT)
    return frame, close


async def test_unknown_room_closes_with_4404_and_a_reason(member):
    missing = RoomFactory.build(slug="no-such-room")
    frame, close = await refused(missing, member)
    assert frame == {
        "type": "error",
        "code": "not_found",
        "error": "There is no such room.",
    }
    assert close == {
        "type": "websocket.close",
        "code": CLOSE_UNKNOWN_ROOM,
        "reason": "There is no such room.",
    }
    assert CLOSE_UNKNOWN_ROOM == 4404


async def test_members_only_room_refuses_anonymous_with_4403():
    private = await database_sync_to_async(RoomFactory)(is_public=False)
    frame, close = await refused(private)
    assert frame["code"] == "login_required"
    assert close["code"] == CLOSE_FORBIDDEN == 4403
    assert "log in" in close["reason"]


async def test_members_only_room_accepts_a_member(connect, member):
    private = await database_sync_to_async(RoomFactory)(is_public=False)
    await connect(private, member)


async def test_hello_gives_the_last_seq_and_who_is_online(connect, room, member):
    await database_sync_to_async(MessageFactory.create_batch)(3, room=room)
    visitor = await connect(room)
    assert visitor.hello["last_seq"] == 3
    assert visitor.hello["online"] == []
    assert visitor.hello["can_post"] is False

    wendy = await connect(room, member)
    assert wendy.hello["online"] == [
        {"name": "Wendy Whiskerfan", "url": member.get_absolute_url()}
    ]
    assert wendy.hello["can_post"] is True
    # The visitor hears that Wendy came.
    assert (await receive(visitor, "presence"))["online"] == wendy.hello["online"]


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
    assert (await anonymous.connect(timeout=TIMEOUT))[0]
    assert (await anonymous.receive_json_from())["code"] == "login_required"
    assert (await anonymous.receive_output())["code"] == CLOSE_FORBIDDEN
    await anonymous.disconnect(timeout=TIMEOUT)

    cookie = f"sessionid={await session_cookie()}".encode()
    signed_in = WebsocketCommunicator(stack, path, headers=[(b"cookie", cookie)])
    connected, _ = await signed_in.connect(timeout=TIMEOUT)
    assert connected
    try:
        assert (await signed_in.receive_json_from())["type"] == "hello"
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


async def test_members_message_is_saved_numbered_and_sent_to_the_room_only(
    connect, room, member, other_member
):
    elsewhere = await database_sync_to_async(RoomFactory)(name="Kittens")
    author = await connect(room, member)
    listener = await connect(room, other_member)
    outsider = await connect(elsewhere, other_member)

    await author.send_json_to({"body": "  Has anyone seen my cat?  "})

    frame = await receive(listener)
    saved = await database_sync_to_async(
        Message.objects.select_related("author", "room").get
    )()
    assert (saved.room_id, saved.author, saved.seq) == (room.pk, member, 1)
    assert saved.body == "Has anyone seen my cat?"  # trimmed
    assert frame == {
        "type": "message",
        "message": await database_sync_to_async(services.serialize_message)(saved),
    }
    message = frame["message"]
    assert (message["seq"], message["room"], message["deleted"]) == (
        1,
        "general",
        False,
    )
    assert message["author"] == "Wendy Whiskerfan"
    assert message["author_url"] == member.get_absolute_url()
    assert 'data-seq="1"' in message["html"]
    assert "Has anyone seen my cat?" in message["html"]
    assert await receive(author) == frame  # the sender sees it arrive too
    assert await nothing_more(outsider)
    assert await nothing_more(listener)  # once, not twice


async def test_seq_counts_up_without_gaps(connect, room, member):
    author = await connect(room, member)
    for number in range(1, 6):
        await author.send_json_to({"body": f"Meow {number}"})
    seqs = [(await receive(author))["message"]["seq"] for _ in range(5)]
    assert seqs == [1, 2, 3, 4, 5]


async def test_html_is_escaped_in_the_html_and_verbatim_in_the_body(
    connect, room, member
):
    body = '<b>bold</b> & <script>alert("hi")</script> <img src=x onerror=alert(1)>'
    author = await connect(room, member)

    await author.send_json_to({"body": body})

    message = (await receive(author))["message"]
    assert message["body"] == body
    assert "<script>" not in message["html"] and "<b>" not in message["html"]
    assert "&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt;" in message["html"]
    assert await stored_bodies() == [body]


async def test_links_are_clickable_as_user_content(connect, room, member):
    author = await connect(room, member)
    await author.send_json_to({"body": "Look: https://example.com/cats?a=1&b=2 !"})
    html = (await receive(author))["message"]["html"]
    assert (
        '<a rel="nofollow ugc noopener" href="https://example.com/cats?a=1&amp;b=2">'
        in html
    )


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
        pytest.param(
            {"text_data": "[" * 2000 + "]" * 2000}, "bad_json", id="deeply-nested"
        ),
        pytest.param({"text_data": '["a list"]'}, "bad_frame", id="list"),
        pytest.param({"text_data": '"a string"'}, "bad_frame", id="string"),
        pytest.param({"text_data": "null"}, "bad_frame", id="null"),
        pytest.param({"text_data": '{"text": "hi"}'}, "bad_frame", id="no-body"),
        pytest.param({"text_data": '{"body": 42}'}, "bad_frame", id="body-not-text"),
        pytest.param(
            {"text_data": '{"type": "shout", "body": "hi"}'},
            "bad_frame",
            id="unknown-type",
        ),
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
        # Found by trying: these closed the socket with 1011 and a traceback.
        pytest.param(
            {"text_data": '{"body": "\\ud800"}'}, "bad_text", id="lone-surrogate"
        ),
        pytest.param(
            {"text_data": '{"body": "cat \\udc00 nap"}'},
            "bad_text",
            id="lone-low-surrogate",
        ),
        pytest.param({"text_data": '{"body": "a\\u0000b"}'}, "bad_text", id="nul"),
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


@pytest.fixture
def held_saves(monkeypatch):
    """services.post_messages held until ``.release()``, recording each batch."""
    original = services.post_messages
    gate = threading.Event()
    batches = []

    def held(room, posts):
        batches.append([post.body for post in posts])
        gate.wait(timeout=10)
        return original(room, posts)

    monkeypatch.setattr(services, "post_messages", held)
    held.batches, held.release = batches, gate.set
    yield held
    gate.set()


async def wait_for(condition, timeout=TIMEOUT):
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def test_posts_that_wait_together_are_saved_together(
    connect, room, member, other_member, held_saves
):
    wendy = await connect(room, member)
    percy = await connect(room, other_member)
    await wendy.send_json_to({"body": "first"})
    await wait_for(lambda: len(held_saves.batches) == 1)  # saving, held

    for number in range(4):
        await wendy.send_json_to({"body": f"wendy {number}"})
        await percy.send_json_to({"body": f"percy {number}"})
    await asyncio.sleep(QUIET)
    held_saves.release()

    first = await receive(wendy)
    together = await wendy.receive_json_from(timeout=TIMEOUT)
    assert (first["type"], together["type"]) == ("message", "messages")
    messages = [first["message"], *together["messages"]]  # one frame for the batch
    assert [message["seq"] for message in messages] == list(range(1, 10))
    bodies = [message["body"] for message in messages]
    assert [body for body in bodies if body.startswith("wendy")] == [
        f"wendy {number}" for number in range(4)
    ]  # each connection's posts keep their order
    assert [len(batch) for batch in held_saves.batches] == [1, 8]  # one transaction
    assert await stored_bodies() == bodies


async def test_a_sender_that_outruns_the_database_waits(
    connect, room, member, held_saves, settings
):
    settings.CHAT_RATE_LIMIT = (1000, 60)
    author = await connect(room, member)
    total = MAX_POSTS_IN_FLIGHT + 5
    for number in range(total):
        await author.send_json_to({"body": f"fast {number}"})

    def in_flight():
        saving = sum(len(batch) for batch in held_saves.batches)
        return saving + len(room_writer_of(room).queue) if saving else 0

    await wait_for(lambda: in_flight() == MAX_POSTS_IN_FLIGHT)
    await asyncio.sleep(QUIET)
    assert in_flight() == MAX_POSTS_IN_FLIGHT  # the rest wait, unread
    held_saves.release()
    frames = [await receive(author) for _ in range(total)]
    assert [frame["message"]["body"] for frame in frames] == [
        f"fast {number}" for number in range(total)
    ]


def room_writer_of(room):
    from chat.writer import _writers

    return _writers[asyncio.get_running_loop()][room.pk]


async def test_a_database_failure_answers_with_an_error_frame(
    connect, room, member, monkeypatch
):
    author = await connect(room, member)
    original = services.post_messages

    def down(room, posts):
        raise OperationalError("connection to server lost")

    monkeypatch.setattr(services, "post_messages", down)
    await author.send_json_to({"body": "Into the void"})
    await assert_error(author, "unavailable")

    monkeypatch.setattr(services, "post_messages", original)
    await author.send_json_to({"body": "Back again"})  # the connection survived
    assert (await receive(author))["message"]["body"] == "Back again"


async def test_rate_limit_is_a_sliding_window(connect, room, member, settings):
    """3 messages in any 2 seconds: a window boundary lets no extra one through."""
    settings.CHAT_RATE_LIMIT = (3, 2)
    author = await connect(room, member)

    for number in range(1, 4):
        await author.send_json_to({"body": f"Meow {number}"})
        assert (await receive(author))["type"] == "message"
    await author.send_json_to({"body": "Meow 4"})
    frame = await receive(author, "error")
    assert frame["code"] == "rate_limited"
    assert 1 <= frame["retry_after"] <= 2

    # A fixed window would have reset by now (every 2-second boundary is crossed).
    await asyncio.sleep(1.1)
    await author.send_json_to({"body": "Meow 5"})
    assert (await receive(author, "error"))["code"] == "rate_limited"

    await asyncio.sleep(1.2)  # 2.3 s after the first three: all three slots free
    for number in range(6, 9):
        await author.send_json_to({"body": f"Meow {number}"})
        assert (await receive(author))["type"] == "message"
    assert await stored_bodies() == [f"Meow {n}" for n in (1, 2, 3, 6, 7, 8)]


async def test_a_flooding_client_is_disconnected(connect, room, member, settings):
    settings.CHAT_FRAME_LIMIT = (5, 1)
    flooder = await connect(room, member)
    for _ in range(6):
        await flooder.send_json_to({"type": "typing"})
    frame = await receive(flooder, "error")
    assert frame["code"] == "flooding"
    close = await flooder.receive_output(timeout=TIMEOUT)
    assert close["code"] == CLOSE_FLOODING == 4429


async def test_a_muted_member_cannot_post(connect, room, member, moderator):
    await database_sync_to_async(RoomMute.objects.create)(
        room=room,
        user=member,
        until=timezone.now() + timedelta(hours=1),
        created_by=moderator,
    )
    author = await connect(room, member)
    await author.send_json_to({"body": "Can I speak?"})
    await assert_error(author, "muted")
    assert await stored_bodies() == []


async def test_an_archived_room_takes_no_messages(connect, room, member):
    room.is_archived = True
    await database_sync_to_async(room.save)()
    author = await connect(room, member)
    assert author.hello["can_post"] is False
    await author.send_json_to({"body": "Anyone?"})
    await assert_error(author, "archived")


# Moderation, presence and typing reach clients live


async def test_a_deleted_message_vanishes_live(connect, room, member, moderator):
    listener = await connect(room)
    message = await database_sync_to_async(MessageFactory)(room=room, author=member)

    await database_sync_to_async(services.delete_message)(message, moderator)

    frame = await receive(listener, "deleted")
    assert frame == {"type": "deleted", "id": message.pk, "seq": message.seq}


async def test_typing_reaches_the_others_but_not_the_typist(
    connect, room, member, other_member
):
    wendy = await connect(room, member)
    percy = await connect(room, other_member)
    visitor = await connect(room)

    await wendy.send_json_to({"type": "typing"})
    await visitor.send_json_to({"type": "typing"})  # visitors can't type: ignored

    for listener in (percy, visitor):
        frame = await receive(listener, "typing")
        assert frame == {
            "type": "typing",
            "name": "Wendy Whiskerfan",
            "user": member.pk,
        }
        assert await nothing_more(listener)
    assert await nothing_more(wendy)


async def test_presence_follows_connections(connect, room, member, other_member):
    visitor = await connect(room)
    wendy = await connect(room, member)
    assert [m["name"] for m in (await receive(visitor, "presence"))["online"]] == [
        "Wendy Whiskerfan"
    ]
    percy = await connect(room, other_member)
    assert [m["name"] for m in (await receive(visitor, "presence"))["online"]] == [
        "Percy Purrfect",
        "Wendy Whiskerfan",
    ]
    await percy.disconnect()
    assert [m["name"] for m in (await receive(visitor, "presence"))["online"]] == [
        "Wendy Whiskerfan"
    ]
    assert wendy.hello["online"][0]["name"] == "Wendy Whiskerfan"


async def test_a_dropped_delivery_is_logged_and_counted(connect, room, caplog):
    listener = await connect(room)
    layer = get_channel_layer()
    group = services.room_group_name(room)
    for seq in (1, 4):  # 2 and 3 never arrive
        text = json.dumps({"type": "message", "message": {"seq": seq}})
        await layer.group_send(
            group, {"type": "chat.messages", "frames": [{"seqs": [seq], "text": text}]}
        )
    assert (await receive(listener))["message"]["seq"] == 1
    assert (await receive(listener))["message"]["seq"] == 4

    await listener.disconnect()
    await asyncio.sleep(0.2)  # the counter is written off the event loop

    assert "Dropped 2 live messages (2 deliveries)" in caplog.text
    assert services.metrics()["dropped_deliveries"] == 2


async def test_a_client_that_stops_reading_is_closed(
    connect, room, member, monkeypatch
):
    """It can't answer our ping, queued behind what it hasn't read."""
    monkeypatch.setattr(services, "PRESENCE_HEARTBEAT", 0.3)
    reader = await connect(room, member)
    silent = await connect(room)

    assert (await receive(reader, "ping"))["type"] == "ping"
    await reader.send_json_to({"type": "pong"})
    assert (await receive(silent, "ping"))["type"] == "ping"  # and no pong

    close = await silent.receive_output(timeout=TIMEOUT)
    assert close == {"type": "websocket.close", "code": CLOSE_NOT_READING}
    assert CLOSE_NOT_READING == 4408
    assert (await receive(reader, "ping"))["type"] == "ping"  # still open
