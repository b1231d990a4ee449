import pytest

from chat.models import MAX_MESSAGE_LENGTH, Message
from tests.factories.chat import MessageFactory, RoomFactory

pytestmark = pytest.mark.django_db


def test_room_list_hides_members_only_rooms_from_visitors(client, member):
    public = RoomFactory(name="General")
    private = RoomFactory(name="Lounge", is_public=False)

    assert list(client.get("/chat/").context["rooms"]) == [public]
    client.force_login(member)
    assert list(client.get("/chat/").context["rooms"]) == [public, private]


def test_room_page_shows_history_oldest_first_and_escaped(client, member):
    room = RoomFactory()
    first = MessageFactory(room=room, author=member, body="Hello <b>there</b>")
    second = MessageFactory(room=room, body="Second")

    response = client.get(room.get_absolute_url())

    assert response.status_code == 200
    assert response.context["chat_messages"] == [first, second]
    content = response.content.decode()
    assert "Hello &lt;b&gt;there&lt;/b&gt;" in content
    assert f'data-socket-path="/ws/chat/{room.slug}/"' in content
    assert "Log in</a> or" in content  # visitors are invited to sign in, no form


def test_unknown_room_is_404(client):
    assert client.get("/chat/no-such-room/").status_code == 404


def test_members_only_room_sends_visitors_to_log_in(client, member):
    room = RoomFactory(is_public=False)
    response = client.get(room.get_absolute_url())
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")
    client.force_login(member)
    assert client.get(room.get_absolute_url()).status_code == 200


def test_member_posts_with_the_plain_form(client, member):
    room = RoomFactory()
    client.force_login(member)

    response = client.post(room.get_absolute_url(), {"body": "  Hi all!  "})

    assert response.status_code == 302
    message = Message.objects.get()
    assert (message.room, message.author, message.body) == (room, member, "Hi all!")


@pytest.mark.parametrize(
    ("body", "error"),
    [("   ", "This field is required."), ("x" * (MAX_MESSAGE_LENGTH + 1), "at most")],
)
def test_bad_messages_are_refused_with_a_reason(client, member, body, error):
    room = RoomFactory()
    client.force_login(member)

    response = client.post(room.get_absolute_url(), {"body": body})

    assert response.status_code == 200
    assert error in response.content.decode()
    assert "Your message was not sent." in response.content.decode()
    assert not Message.objects.exists()


def test_visitors_cannot_post(client):
    room = RoomFactory()
    response = client.post(room.get_absolute_url(), {"body": "spam"})
    assert response.status_code == 302
    assert "/accounts/login/" in response.url
    assert not Message.objects.exists()


def test_posting_is_rate_limited(client, member, settings):
    settings.CHAT_RATE_LIMIT = (3, 60)
    room = RoomFactory()
    client.force_login(member)
    for number in range(3):
        assert (
            client.post(room.get_absolute_url(), {"body": f"m{number}"}).status_code
            == 302
        )
    response = client.post(room.get_absolute_url(), {"body": "one too many"})
    assert response.status_code == 200
    assert "Slow down" in response.content.decode()
    assert Message.objects.count() == 3
