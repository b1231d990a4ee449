"""The chat REST API: every endpoint, every refusal, as JSON."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from chat import services
from chat.models import Message, MessageReport, RoomMute
from tests.factories.chat import MessageFactory, RoomFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def room(db):
    return RoomFactory(name="General", slug="general")


@pytest.fixture
def token(member):
    return Token.objects.create(user=member)


@pytest.fixture
def bot(api, token):
    """A client that authenticates with the member's token, as scripts do."""
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return api


def messages_url(room, **query):
    url = f"/api/chat/rooms/{room.slug}/messages/"
    if query:
        url += "?" + "&".join(f"{name}={value}" for name, value in query.items())
    return url


def assert_error(response, status: int, code: str):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert set(data) == {"error", "code"}
    assert data["code"] == code
    assert data["error"]
    return data


# Rooms


def test_rooms_lists_what_the_caller_may_read(bot, room):
    private = RoomFactory(name="Lounge", slug="lounge", is_public=False)
    RoomFactory(name="Old", is_archived=True)

    visitor = APIClient().get("/api/chat/rooms/").json()
    assert [r["slug"] for r in visitor] == ["general"]
    rooms = bot.get("/api/chat/rooms/").json()
    assert [r["slug"] for r in rooms] == ["general", "lounge"]
    assert rooms[0] == {
        "slug": "general",
        "name": "General",
        "description": room.description,
        "is_public": True,
        "is_archived": False,
        "last_seq": 0,
        "url": "http://testserver/chat/general/",
        "messages_url": "http://testserver/api/chat/rooms/general/messages/",
    }
    assert bot.get(f"/api/chat/rooms/{private.slug}/").json()["name"] == "Lounge"


def test_unknown_and_members_only_rooms(api, room):
    private = RoomFactory(slug="lounge", is_public=False)
    assert_error(api.get("/api/chat/rooms/nowhere/"), 404, "not_found")
    assert_error(api.get(messages_url(RoomFactory.build(slug="x"))), 404, "not_found")
    response = api.get(messages_url(private))
    assert_error(response, 401, "login_required")
    assert response["WWW-Authenticate"] == "Token"


# Reading messages


def test_messages_newest_page_then_history_then_polling(api, room, member):
    messages = MessageFactory.create_batch(7, room=room, author=member)

    page = api.get(messages_url(room, limit=3)).json()
    assert [m["seq"] for m in page["messages"]] == [5, 6, 7]
    assert page["has_more"] is True
    assert (
        page["next"]
        == "http://testserver/api/chat/rooms/general/messages/?before=5&limit=3"
    )
    assert page["last_seq"] == 7
    first = page["messages"][0]
    assert first == services.serialize_message(messages[4])
    assert first["html"].startswith('<div class="chat-message" data-seq="5"')

    older = api.get(page["next"]).json()
    assert [m["seq"] for m in older["messages"]] == [2, 3, 4]
    oldest = api.get(older["next"]).json()
    assert [m["seq"] for m in oldest["messages"]] == [1]
    assert (oldest["has_more"], oldest["next"]) == (False, None)

    newer = api.get(messages_url(room, after=2, limit=2)).json()
    assert [m["seq"] for m in newer["messages"]] == [3, 4]
    assert newer["next"].endswith("?after=4&limit=2")
    caught_up = api.get(messages_url(room, after=7)).json()
    assert caught_up == {"messages": [], "has_more": False, "next": None, "last_seq": 7}


def test_deleted_messages_keep_their_place(api, room, member, moderator):
    first, second, third = MessageFactory.create_batch(3, room=room, author=member)
    services.delete_message(second, moderator)
    page = api.get(messages_url(room, after=0)).json()
    assert [(m["seq"], m["deleted"]) for m in page["messages"]] == [
        (1, False),
        (2, True),
        (3, False),
    ]
    assert "body" not in page["messages"][1] and "html" not in page["messages"][1]


def test_polling_does_not_query_per_message(
    api, room, member, django_assert_max_num_queries
):
    MessageFactory.create_batch(30, room=room, author=member)
    with django_assert_max_num_queries(4):
        assert len(api.get(messages_url(room, after=0)).json()["messages"]) == 30


@pytest.mark.parametrize(
    "query",
    [
        "after=abc",
        "after=-1",
        "after=1.5",
        "after=%00",
        "after=%ED%A0%80",  # UTF-8 of a lone surrogate
        "after=1&before=3",
        "limit=0",
        "limit=101",
        "before=99999999999999999999999",
    ],
)
def test_bad_query_parameters_are_400(api, room, query):
    assert_error(api.get(f"{messages_url(room)}?{query}"), 400, "bad_parameter")


# Posting


def test_a_bot_posts_with_its_token(bot, room, member):
    response = bot.post(
        messages_url(room), {"body": "Beep, feeding time!"}, format="json"
    )

    assert response.status_code == 201
    message = Message.objects.get()
    assert (message.author, message.body, message.seq) == (
        member,
        "Beep, feeding time!",
        1,
    )
    assert response.json() == services.serialize_message(message)


def test_posted_messages_reach_websocket_clients(
    bot, room, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(
        services, "broadcast_messages", lambda room, payloads: sent.extend(payloads)
    )
    with django_capture_on_commit_callbacks(execute=True):
        bot.post(messages_url(room), {"body": "Live"}, format="json")
    assert [payload["body"] for payload in sent] == ["Live"]


def test_idempotency_key_makes_a_retry_post_once(bot, room):
    headers = {"HTTP_IDEMPOTENCY_KEY": "retry-me-1"}
    first = bot.post(messages_url(room), {"body": "Once"}, format="json", **headers)
    again = bot.post(messages_url(room), {"body": "Once"}, format="json", **headers)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert Message.objects.count() == 1
    conflict = bot.post(
        messages_url(room), {"body": "Twice?"}, format="json", **headers
    )
    assert_error(conflict, 409, "idempotency_conflict")
    bad = bot.post(
        messages_url(room), {"body": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="a b"
    )
    assert_error(bad, 400, "bad_idempotency_key")


def test_session_posts_need_the_csrf_token(room, member):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(member)
    response = api.post(messages_url(room), {"body": "Hi"}, format="json")
    assert_error(response, 403, "permission_denied")
    assert "CSRF" in response.json()["error"]
    csrf = api.get("/chat/general/").cookies["csrftoken"].value
    response = api.post(
        messages_url(room), {"body": "Hi"}, format="json", HTTP_X_CSRFTOKEN=csrf
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("authorization", "code"),
    [
        (None, "not_authenticated"),
        ("Token", "authentication_failed"),
        ("Token a b", "authentication_failed"),
        ("Token not-a-real-key", "authentication_failed"),
        ("Bearer abc", "not_authenticated"),
    ],
)
def test_missing_or_bad_tokens_are_401(api, room, authorization, code):
    if authorization:
        api.credentials(HTTP_AUTHORIZATION=authorization)
    response = api.post(messages_url(room), {"body": "Hi"}, format="json")
    assert_error(response, 401, code)
    assert response["WWW-Authenticate"] == "Token"
    assert not Message.objects.exists()


def test_a_revoked_token_stops_working(bot, room, token):
    assert (
        bot.post(messages_url(room), {"body": "Hi"}, format="json").status_code == 201
    )
    token.delete()
    response = bot.post(messages_url(room), {"body": "Hi again"}, format="json")
    assert_error(response, 401, "authentication_failed")
    assert response.json()["error"] == "Invalid token."


@pytest.mark.parametrize(
    ("payload", "content_type", "status", "code"),
    [
        ('{"body": ""}', "application/json", 400, "empty"),
        ('{"body": "   "}', "application/json", 400, "empty"),
        ('{"body": "' + "x" * 2001 + '"}', "application/json", 400, "too_long"),
        ('{"body": 42}', "application/json", 400, "bad_request"),
        ('["body"]', "application/json", 400, "bad_request"),
        ("{}", "application/json", 400, "bad_request"),
        ("{not json", "application/json", 400, "parse_error"),
        ('{"body": "\\ud800"}', "application/json", 400, "bad_text"),
        ('{"body": "a\\u0000b"}', "application/json", 400, "bad_text"),
        (b'{"body": "\xff\xfe"}', "application/json", 400, "parse_error"),
        (
            "body=hello",
            "application/x-www-form-urlencoded",
            415,
            "unsupported_media_type",
        ),
    ],
)
def test_bad_posts_get_a_clear_error_and_save_nothing(
    bot, room, payload, content_type, status, code
):
    response = bot.generic(
        "POST", messages_url(room), payload, content_type=content_type
    )
    assert_error(response, status, code)
    assert not Message.objects.exists()
    room.refresh_from_db()
    assert room.last_seq == 0


def test_flooding_gets_429_with_retry_after(bot, room, settings):
    settings.CHAT_RATE_LIMIT = (3, 30)
    for number in range(3):
        assert (
            bot.post(
                messages_url(room), {"body": f"m{number}"}, format="json"
            ).status_code
            == 201
        )
    response = bot.post(messages_url(room), {"body": "one too many"}, format="json")
    assert_error(response, 429, "rate_limited")
    assert 1 <= int(response["Retry-After"]) <= 30
    assert Message.objects.count() == 3


def test_muted_and_archived(bot, room, member, moderator):
    RoomMute.objects.create(
        room=room, user=member, until=timezone.now() + timedelta(hours=1)
    )
    assert_error(
        bot.post(messages_url(room), {"body": "Hi"}, format="json"), 403, "muted"
    )
    old = RoomFactory(is_archived=True)
    assert_error(
        bot.post(messages_url(old), {"body": "Hi"}, format="json"), 403, "archived"
    )
    assert not Message.objects.exists()


def test_visitors_cannot_post(api, room):
    assert_error(
        api.post(messages_url(room), {"body": "Hi"}, format="json"),
        401,
        "not_authenticated",
    )


def test_wrong_method_is_405_json(bot, room):
    assert_error(
        bot.put(messages_url(room), {"body": "Hi"}, format="json"),
        405,
        "method_not_allowed",
    )


# One message, deleting, reporting


def test_one_message_and_moderator_deletion(bot, room, member, moderator):
    api = APIClient()
    message = MessageFactory(room=room, author=member)
    url = f"/api/chat/rooms/{room.slug}/messages/{message.seq}/"
    assert api.get(url).json()["body"] == message.body
    assert_error(api.get(f"/api/chat/rooms/{room.slug}/messages/99/"), 404, "not_found")

    assert_error(bot.delete(url), 403, "forbidden")  # a member
    moderator_api = APIClient()
    moderator_api.force_authenticate(moderator)
    assert moderator_api.delete(url).status_code == 204
    assert api.get(url).json()["deleted"] is True


def test_reporting_a_message(bot, room, other_member):
    message = MessageFactory(room=room, author=other_member)
    url = f"/api/chat/rooms/{room.slug}/messages/{message.seq}/report/"
    assert_error(APIClient().post(url, {}, format="json"), 401, "not_authenticated")

    response = bot.post(url, {"reason": "Rude"}, format="json")
    assert response.status_code == 201
    assert MessageReport.objects.get().reason == "Rude"
    assert_error(bot.post(url, {}, format="json"), 409, "already_reported")
    assert_error(bot.post(url, {"reason": "a\x00b"}, format="json"), 400, "bad_text")


# Presence, metrics, schema


def test_presence_includes_members_who_poll(bot, room, member):
    api = APIClient()
    assert api.get(f"/api/chat/rooms/{room.slug}/presence/").json() == {"online": []}
    bot.get(messages_url(room, after=0))
    assert api.get(f"/api/chat/rooms/{room.slug}/presence/").json() == {
        "online": [{"name": "Wendy Whiskerfan", "url": member.get_absolute_url()}]
    }


def test_metrics_are_for_staff(bot, room, admin_user):
    assert_error(bot.get("/api/chat/metrics/"), 403, "permission_denied")
    bot.post(messages_url(room), {"body": "count me"}, format="json")
    staff = APIClient()
    staff.force_authenticate(admin_user)
    assert staff.get("/api/chat/metrics/").json() == {
        "messages_posted": 1,
        "broadcast_failures": 0,
        "dropped_deliveries": 0,
    }


def test_openapi_schema_and_docs_are_served_locally(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/chat/rooms/{slug}/messages/" in text
    assert "Idempotency-Key" in text

    docs = client.get("/api/docs/").content.decode()
    assert (
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in docs
    )
    assert "<style" not in docs and "cdn" not in docs.lower()
    assert "<script>" not in docs  # the init script is a file: /api/docs/?script=
    script = client.get("/api/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")


def test_drf_create_token_works_for_admins(member):
    call_command("drf_create_token", member.username, verbosity=0)
    assert Token.objects.filter(user=member).exists()
