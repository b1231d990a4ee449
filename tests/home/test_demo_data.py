import json
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

import pytest
from rest_framework.authtoken.models import Token

from accounts.models import User
from blog.models import BlogPage
from chat.models import Message, Room
from gallery.models import GalleryImage, PhotoLike, PhotoReport
from home.demo import content
from home.management.commands import load_demo_data

pytestmark = pytest.mark.django_db

STABLE_ADDRESSES = [
    "/",
    "/blog/",
    "/blog/welcome-to-whiskers/",
    "/gallery/",
    "/gallery/cats/",
    "/chat/",
    "/chat/general/",
    "/accounts/login/",
    "/accounts/signup/",
    "/search/?q=cat",
    "/members/wendy/",
    "/credits/",
]


def load(monkeypatch, tmp_path, password="demo-pass-123"):
    monkeypatch.setattr(load_demo_data, "CREDENTIALS_FILE", tmp_path / "creds.json")
    if password:
        monkeypatch.setenv("DEMO_PASSWORD", password)
    else:
        monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    return out.getvalue()


def counts():
    return (
        User.objects.count(),
        BlogPage.objects.live().count(),
        GalleryImage.objects.count(),
        Room.objects.count(),
        Message.objects.count(),
    )


def test_demo_data_fills_every_part_of_the_site(client, monkeypatch, tmp_path):
    output = load(monkeypatch, tmp_path)

    assert User.objects.get(username="admin").is_superuser
    assert (
        User.objects.get(username="moderator").groups.filter(name="Moderators").exists()
    )
    assert set(
        User.objects.get(username="wendy").groups.values_list("name", flat=True)
    ) == {"Members"}
    published = [post for post in content.POSTS if post.state.startswith("published")]
    assert BlogPage.objects.live().count() == len(published)
    assert BlogPage.objects.count() == len(content.POSTS)
    assert all(post.listing_image for post in BlogPage.objects.all())
    photos = GalleryImage.objects.photos()
    assert photos.count() == len(content.PHOTOS)
    # Labelled by the shipped model, through gallery/labelling.py, not by hand:
    # the demo's cat photos (cat-*.jpg) come out as cats, the dogs and scenes not.
    assert set(photos.values_list("cat_label_source", "cat_label_status")) == {
        ("model", "labelled")
    }
    cats = {photo.file for photo in content.PHOTOS if photo.file.startswith("cat-")}
    assert {image.title for image in photos.cats()} == {
        photo.title for photo in content.PHOTOS if photo.file in cats
    }
    # Likes, and one report waiting for a moderator.
    assert PhotoLike.objects.count() == len(content.LIKES)
    assert PhotoReport.objects.filter(resolved_at__isnull=True).count() == 1
    assert Room.objects.filter(slug="general", is_public=True).exists()
    assert "wendy" in output and "demo-pass-123" in output
    for address in STABLE_ADDRESSES:
        assert client.get(address).status_code == 200, address


def test_demo_posts_wait_in_every_state(client, monkeypatch, tmp_path):
    """A moderator who logs in after `make run` finds work waiting; each demo
    member's page of posts shows each state."""
    from blog.services import post_state

    load(monkeypatch, tmp_path)
    states = {
        post.slug: post_state(post)
        for post in BlogPage.objects.filter(slug__in=[p.slug for p in content.POSTS])
    }
    assert {(s.status, s.pending) for s in states.values()} == {
        ("published", ""),
        ("published", "in_review"),
        ("in_review", ""),
        ("changes_requested", ""),
        ("draft", ""),
    }
    asked = states["ten-toys-under-five-pounds"]
    assert "feather wand" in asked.comment and asked.reviewer == "Mo Moderator"
    # Members wrote them, and each post is dated as the demo says.
    for spec in content.POSTS:
        post = BlogPage.objects.get(slug=spec.slug)
        assert post.owner.username == spec.author
        if spec.state.startswith("published"):
            assert (timezone.localdate() - post.date).days == spec.days_ago
    client.force_login(User.objects.get(username="moderator"))
    dashboard = client.get("/admin/").content.decode()
    assert "Adopting an older cat" in dashboard
    assert "What our cats taught us about naps" in dashboard


def test_demo_data_is_idempotent(monkeypatch, tmp_path):
    load(monkeypatch, tmp_path)
    before = counts()
    output = load(monkeypatch, tmp_path)
    assert counts() == before
    assert "Added" not in output


def test_demo_accounts_sign_in_with_the_printed_password(client, monkeypatch, tmp_path):
    load(monkeypatch, tmp_path, password="")
    stored = json.loads((tmp_path / "creds.json").read_text())
    assert set(stored) == {user.username for user in content.USERS}
    response = client.post(
        "/accounts/login/", {"login": "wendy", "password": stored["wendy"]}
    )
    assert response.status_code == 302
    # A second run prints the same passwords rather than new ones.
    output = load(monkeypatch, tmp_path, password="")
    assert stored["percy"] in output
    assert json.loads((tmp_path / "creds.json").read_text()) == stored


def test_credits_page_lists_every_demo_photo_with_its_licence(
    client, monkeypatch, tmp_path
):
    content_html = client.get("/credits/").content.decode()
    for photo in [*content.PHOTOS, *content.BLOG_IMAGES]:
        assert photo.credit.replace('"', "&quot;") in content_html
        assert photo.licence[1] in content_html


def test_demo_photo_files_ship_with_the_repo():
    for photo in [*content.PHOTOS, *content.BLOG_IMAGES]:
        assert photo.path.is_file(), photo.file
    assert (content.PHOTO_DIR / "SOURCES.md").is_file()


def test_demo_data_has_a_chat_bot_with_a_token(monkeypatch, tmp_path):
    output = load(monkeypatch, tmp_path)

    bot = User.objects.get(username=content.BOT.username)
    assert not bot.has_usable_password()
    token = Token.objects.get(user=bot)
    assert f"WHISKERS_TOKEN={token.key}" in output
    assert "scripts/chat_bot.py" in output
    general = Room.objects.get(slug="general")
    assert general.messages.filter(author=bot).exists()
    # Demo messages are numbered like any other: 1, 2, 3… per room.
    seqs = list(general.messages.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1)) and general.last_seq == len(seqs)
    # Run again: the same token, printed again.
    assert f"WHISKERS_TOKEN={token.key}" in load(monkeypatch, tmp_path)
    assert Token.objects.get(user=bot).key == token.key
