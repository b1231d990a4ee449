"""config.asgi.application, the stack daphne serves: HTTP through Django, WebSockets
through the origin check, the session user and the chat routes."""

import json

from django.conf import settings

import pytest
from asgiref.sync import sync_to_async
from channels.routing import ProtocolTypeRouter
from channels.testing import HttpCommunicator, WebsocketCommunicator

from chat.consumers import CLOSE_FORBIDDEN, CLOSE_UNKNOWN_ROOM
from chat.origin import SiteOriginValidator
from tests.factories.chat import RoomFactory

# Async tests reach the database from other threads, so they need committed data;
# serialized_rollback brings back the home page and site made by migrations.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The origin check compares the Origin with the Host the handshake was sent to.
HOST = (b"host", b"testserver")
ALLOWED_ORIGIN = (b"origin", b"http://testserver")


@pytest.fixture
def application(transactional_db):
    """Imported here, not at the top: the import checks the database is reachable."""
    from config.asgi import application

    return application


@pytest.fixture
def room(transactional_db):
    return RoomFactory(name="General", slug="general")


def session_cookie(client, user) -> tuple[bytes, bytes]:
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return (b"cookie", f"{cookie.key}={cookie.value}".encode())


async def connect(application, path, headers):
    communicator = WebsocketCommunicator(application, path, headers=[HOST, *headers])
    connected, code = await communicator.connect(timeout=5)
    return communicator, connected, code


def test_application_is_the_channels_stack(application):
    assert isinstance(application, ProtocolTypeRouter)
    assert set(application.application_mapping) == {"http", "websocket"}
    assert isinstance(application.application_mapping["websocket"], SiteOriginValidator)


async def test_foreign_origin_is_rejected(application, room):
    communicator, connected, _ = await connect(
        application,
        f"/ws/chat/{room.slug}/",
        [(b"origin", b"https://evil.example")],
    )
    assert not connected
    await communicator.disconnect()


async def test_missing_origin_is_rejected(application, room):
    communicator, connected, _ = await connect(
        application, f"/ws/chat/{room.slug}/", []
    )
    assert not connected
    await communicator.disconnect()


async def test_allowed_origin_connects(application, room):
    communicator, connected, _ = await connect(
        application, f"/ws/chat/{room.slug}/", [ALLOWED_ORIGIN]
    )
    assert connected
    await communicator.disconnect()


async def refused_code(communicator) -> int:
    """Refused rooms are accepted, then closed with a code the page can read."""
    assert (await communicator.receive_json_from(timeout=5))["type"] == "error"
    code = (await communicator.receive_output(timeout=5))["code"]
    await communicator.disconnect()
    return code


async def test_unknown_room_is_closed_with_4404(application, room):
    communicator, connected, _ = await connect(
        application, "/ws/chat/no-such-room/", [ALLOWED_ORIGIN]
    )
    assert connected
    assert await refused_code(communicator) == CLOSE_UNKNOWN_ROOM == 4404


@pytest.fixture
def members_room(transactional_db):
    return RoomFactory(name="Members only", slug="members-only", is_public=False)


async def test_session_user_reaches_the_consumer(
    application, members_room, client, member
):
    path = f"/ws/chat/{members_room.slug}/"
    anonymous, connected, _ = await connect(application, path, [ALLOWED_ORIGIN])
    assert connected
    assert await refused_code(anonymous) == CLOSE_FORBIDDEN

    cookie = await sync_to_async(session_cookie)(client, member)
    signed_in, connected, _ = await connect(application, path, [ALLOWED_ORIGIN, cookie])
    assert connected
    await signed_in.disconnect()


async def test_a_message_reaches_everyone_in_the_room(
    application, room, client, member
):
    path = f"/ws/chat/{room.slug}/"
    cookie = await sync_to_async(session_cookie)(client, member)
    sender, connected, _ = await connect(application, path, [ALLOWED_ORIGIN, cookie])
    assert connected
    listener, connected, _ = await connect(application, path, [ALLOWED_ORIGIN])
    assert connected

    await sender.send_json_to({"body": "Hello from the ASGI stack"})

    for communicator in (sender, listener):
        event = await communicator.receive_json_from(timeout=5)
        while event["type"] in {"hello", "presence"}:
            event = await communicator.receive_json_from(timeout=5)
        assert event["type"] == "message"
        assert event["message"]["body"] == "Hello from the ASGI stack"
        assert event["message"]["room"] == room.slug
    await sender.disconnect()
    await listener.disconnect()


async def test_http_serves_the_home_page(application):
    communicator = HttpCommunicator(
        application, "GET", "/", headers=[(b"host", b"testserver")]
    )
    response = await communicator.get_response(timeout=10)
    assert response["status"] == 200
    assert b"A friendly corner of the internet for cat people" in response["body"]


async def test_http_serves_healthz(application):
    communicator = HttpCommunicator(
        application, "GET", "/healthz/", headers=[(b"host", b"testserver")]
    )
    response = await communicator.get_response(timeout=10)
    assert response["status"] == 200
    assert json.loads(response["body"])["status"] == "ok"


async def test_http_refuses_unknown_hosts(application):
    communicator = HttpCommunicator(
        application, "GET", "/", headers=[(b"host", b"evil.example")]
    )
    response = await communicator.get_response(timeout=10)
    assert response["status"] == 400
