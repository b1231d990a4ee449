import re

from django.conf import settings

import pytest

from chat import services
from chat.models import MAX_MESSAGE_LENGTH, Message, MessageReport
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
    assert 'data-first-seq="1" data-last-seq="2"' in content
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


def test_deleted_messages_are_not_shown_but_count_for_the_seq(
    client, member, moderator
):
    room = RoomFactory()
    kept = MessageFactory(room=room, body="Kept")
    removed = MessageFactory(room=room, body="Removed by a moderator")
    services.delete_message(removed, moderator)

    response = client.get(room.get_absolute_url())

    assert response.context["chat_messages"] == [kept]
    content = response.content.decode()
    assert "Removed by a moderator" not in content
    assert 'data-last-seq="2"' in content


def test_archived_rooms_are_readable_but_not_listed_and_take_no_posts(client, member):
    room = RoomFactory(name="Old times", is_archived=True)
    MessageFactory(room=room, body="From the old days")
    client.force_login(member)

    assert room not in client.get("/chat/").context["rooms"]
    response = client.get(room.get_absolute_url())
    assert "From the old days" in response.content.decode()
    assert "This room is archived" in response.content.decode()
    assert 'id="chat-form"' not in response.content.decode()
    response = client.post(room.get_absolute_url(), {"body": "Hello?"})
    assert "archived" in response.content.decode()
    assert Message.objects.count() == 1


def test_a_nul_character_in_the_form_is_refused(client, member):
    room = RoomFactory()
    client.force_login(member)
    response = client.post(room.get_absolute_url(), {"body": "a\x00b"})
    # core.middleware.inputs answers before the view, with the reason.
    assert response.status_code == 400
    assert "a NUL or an unpaired surrogate" in response.content.decode()
    assert not Message.objects.exists()


def test_report_page_without_javascript(client, member, other_member):
    room = RoomFactory()
    message = MessageFactory(room=room, author=other_member, body="Buy cheap fish")
    url = f"/chat/{room.slug}/messages/{message.seq}/report/"
    assert client.get(url).status_code == 302  # log in first
    client.force_login(member)

    assert "Buy cheap fish" in client.get(url).content.decode()
    response = client.post(url, {"reason": "Spam"})

    assert response.status_code == 302 and response.url == room.get_absolute_url()
    report = MessageReport.objects.get()
    assert (report.message, report.reporter, report.reason) == (message, member, "Spam")
    assert client.get(f"/chat/{room.slug}/messages/99/report/").status_code == 404


def test_links_in_history_are_marked_as_user_content(client):
    room = RoomFactory()
    MessageFactory(room=room, body="See https://example.com/")
    content = client.get(room.get_absolute_url()).content.decode()
    assert (
        '<a rel="nofollow ugc noopener" href="https://example.com/">https://example.com/</a>'
        in content
    )


def test_chat_templates_fit_a_strict_content_security_policy():
    """No inline scripts, event handlers or style attributes in chat's templates
    (the avatar include is shared, and the site's CSP work covers it)."""
    for path in (settings.BASE_DIR / "templates" / "chat").glob("*.html"):
        source = path.read_text()
        assert "style=" not in source, path
        assert not re.search(r"<script(?![^>]*\bsrc=)", source), path
        assert not re.search(r"\son[a-z]+=", source), path
