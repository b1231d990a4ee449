"""Chat moderation in the Wagtail admin's "Moderation" menu: moderators (and
superusers) act, members never reach it."""

from datetime import timedelta

from django.utils import timezone

import pytest

from chat import services
from chat.models import Message, MessageReport, Room, RoomMute
from tests.admin_pages import header_title
from tests.factories.chat import MessageFactory, RoomFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "/admin/chat_room/",
    "/admin/chat_message/",
    "/admin/chat_roommute/",
    "/admin/chat_messagereport/",
]


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def test_the_moderation_menu_lists_chat(moderator_client):
    content = moderator_client.get("/admin/").content.decode()
    for label in ["Chat rooms", "Chat messages", "Chat mutes", "Chat reports"]:
        assert label in content
    for url in LISTS:
        assert moderator_client.get(url).status_code == 200, url


@pytest.mark.parametrize("url", [*LISTS, "/admin/chat_room/new/"])
def test_members_never_reach_chat_moderation(client, member, url):
    client.force_login(member)
    response = client.get(url)
    assert response.status_code in {302, 403}
    if response.status_code == 302:
        assert "/admin/" not in response.url or "login" in response.url


def test_editors_without_the_permissions_are_refused(client, editor):
    client.force_login(editor)
    assert client.get("/admin/chat_message/").status_code in {302, 403}


def test_moderators_create_and_archive_rooms(moderator_client):
    response = moderator_client.post(
        "/admin/chat_room/new/",
        {
            "name": "Kitten corner",
            "slug": "kitten-corner",
            "description": "Tiny cats only.",
            "is_public": "",
        },
    )
    assert response.status_code == 302
    room = Room.objects.get(slug="kitten-corner")
    assert not room.is_public and not room.is_archived

    response = moderator_client.post(
        f"/admin/chat_room/edit/{room.pk}/",
        {
            "name": "Kitten corner",
            "slug": "kitten-corner",
            "description": "Closed.",
            "is_archived": "on",
        },
    )
    assert response.status_code == 302
    room.refresh_from_db()
    assert room.is_archived
    # Rooms are archived, never deleted: moderators have no delete permission.
    assert moderator_client.get(f"/admin/chat_room/delete/{room.pk}/").status_code in {
        302,
        403,
    }
    assert Room.objects.filter(pk=room.pk).exists()


def test_message_list_filters_and_search(moderator_client, member, other_member):
    general, kittens = RoomFactory(name="General"), RoomFactory(name="Kittens")
    MessageFactory(room=general, author=member, body="Tabby on the fence")
    MessageFactory(room=kittens, author=other_member, body="Ginger kitten asleep")
    gone = MessageFactory(room=kittens, author=member, body="Deleted one")
    services.delete_message(gone, member)

    def listed(query):
        content = moderator_client.get(f"/admin/chat_message/?{query}").content.decode()
        return [
            body
            for body in ["Tabby on the fence", "Ginger kitten asleep", "Deleted one"]
            if body in content
        ]

    assert listed("q=kitten") == ["Ginger kitten asleep"]
    assert listed(f"room={general.pk}") == ["Tabby on the fence"]
    assert listed(f"author={member.pk}") == ["Tabby on the fence"]
    assert (
        "(deleted)"
        in moderator_client.get(
            f"/admin/chat_message/?deleted=true&room={kittens.pk}"
        ).content.decode()
    )
    # A NUL in the search box is refused by the form, not a database error.
    assert moderator_client.get("/admin/chat_message/?q=a%00b").status_code == 400


def test_moderator_deletes_a_message_keeping_its_seq(
    moderator_client, moderator, member, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(services, "broadcast", lambda *args: sent.append(args))
    message = MessageFactory(body="Rude words")
    url = f"/admin/chat_message/delete/{message.pk}/"
    assert "disappears from open pages" in moderator_client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(url)

    assert response.status_code == 302
    message.refresh_from_db()
    assert message.is_deleted and message.deleted_by == moderator
    assert Message.objects.filter(pk=message.pk).exists()  # the seq stays
    assert sent[0][1:] == (
        "chat.deleted",
        {"type": "deleted", "id": message.pk, "seq": message.seq},
    )


def test_moderator_mutes_a_member_from_a_message(moderator_client, moderator, member):
    message = MessageFactory(author=member)
    listing = moderator_client.get("/admin/chat_message/").content.decode()
    add_url = f"/admin/chat_roommute/new/?room={message.room_id}&amp;user={member.pk}"
    assert add_url in listing
    form = moderator_client.get(add_url.replace("&amp;", "&")).context["form"]
    assert form.initial == {"room": message.room_id, "user": member.pk}

    until = timezone.localtime() + timedelta(hours=2)
    response = moderator_client.post(
        "/admin/chat_roommute/new/",
        {
            "room": message.room_id,
            "user": member.pk,
            "until": until.strftime("%Y-%m-%d %H:%M"),
            "reason": "Cool off",
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    mute = RoomMute.objects.get()
    assert (mute.user, mute.room, mute.created_by) == (member, message.room, moderator)
    with pytest.raises(services.ChatError) as refused:
        services.post_message(message.room, member, "Let me talk")
    assert refused.value.code == "muted"


def test_reports_are_dismissed_or_acted_on(
    moderator_client, moderator, member, other_member
):
    spam = MessageFactory(author=member, body="Cheap fish here")
    fine = MessageFactory(author=member, body="Just a cat photo")
    spam_report = services.report_message(spam, other_member, "Spam")
    fine_report = services.report_message(fine, other_member, "Dunno")

    listing = moderator_client.get("/admin/chat_messagereport/?open=true")
    content = listing.content.decode()
    assert "Cheap fish here" in content and "Spam" in content
    assert f"/admin/chat_messagereport/dismiss/{fine_report.pk}/" in content

    dismiss = f"/admin/chat_messagereport/dismiss/{fine_report.pk}/"
    page = moderator_client.get(dismiss).content.decode()
    assert "Dismiss this report" in page
    assert header_title(page) == "Dismiss the report"
    assert moderator_client.post(dismiss).status_code == 302
    delete = f"/admin/chat_messagereport/delete-message/{spam_report.pk}/"
    assert moderator_client.post(delete).status_code == 302

    spam_report.refresh_from_db()
    fine_report.refresh_from_db()
    assert (spam_report.resolution, spam_report.resolved_by) == ("deleted", moderator)
    assert fine_report.resolution == "dismissed"
    assert Message.objects.get(pk=spam.pk).is_deleted
    assert not Message.objects.get(pk=fine.pk).is_deleted
    assert MessageReport.objects.filter(resolved_at=None).count() == 0


def test_members_cannot_resolve_reports(client, member, other_member):
    report = services.report_message(MessageFactory(author=other_member), member)
    client.force_login(member)
    for url in [
        f"/admin/chat_messagereport/dismiss/{report.pk}/",
        f"/admin/chat_messagereport/delete-message/{report.pk}/",
    ]:
        assert client.post(url).status_code in {302, 403}
    report.refresh_from_db()
    assert report.is_open


def test_superusers_moderate_too(client, admin_user):
    client.force_login(admin_user)
    for url in LISTS:
        assert client.get(url).status_code == 200
