from django.core.files.base import ContentFile
from django.urls import reverse

from wagtail.models import Collection, PageViewRestriction

import pytest

from tests.accounts.images import jpeg_bytes
from tests.factories.accounts import UserFactory
from tests.factories.blog import BlogPageFactory
from tests.factories.gallery import GalleryImageFactory

pytestmark = pytest.mark.django_db


def post_by(author, blog_index, **kwargs):
    post = BlogPageFactory(parent=blog_index, **kwargs)
    post.authors.add(author)
    if post.live:
        post.save_revision().publish()
    else:
        post.save()
    return post


def test_member_url(member):
    assert member.get_absolute_url() == "/members/wendy/"


def test_member_page_shows_the_profile(client, member):
    member.bio = "Two tabbies.\nOne radiator."
    member.save()

    response = client.get("/members/wendy/")

    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["member"] == member
    assert "<title>Wendy Whiskerfan · Whiskers</title>" in content
    assert '<h1 class="mb-0">Wendy Whiskerfan</h1>' in content
    assert "@wendy" in content
    assert "Two tabbies.<br>One radiator." in content
    assert "No photos yet." in content and "No posts yet." in content


def test_member_page_falls_back_to_the_username(client, db):
    UserFactory(username="quiet", display_name="")

    content = client.get("/members/quiet/").content.decode()

    assert '<h1 class="mb-0">quiet</h1>' in content


def test_member_page_lists_published_posts_only(
    client, member, other_member, blog_index
):
    published = post_by(member, blog_index, title="Naps in the sun")
    post_by(member, blog_index, title="Half-written draft", live=False)
    private = post_by(member, blog_index, title="Password-protected post")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="meow"
    )
    post_by(other_member, blog_index, title="Percy's post")

    response = client.get("/members/wendy/")

    assert list(response.context["posts"]) == [published]
    content = response.content.decode()
    assert "Naps in the sun" in content
    assert published.url in content
    assert "Half-written draft" not in content
    assert "Password-protected post" not in content
    assert "Percy&#x27;s post" not in content and "Percy's post" not in content
    assert "No posts yet." not in content


def test_member_page_shows_the_six_newest_posts(client, member, blog_index):
    posts = [
        post_by(member, blog_index, title=f"Day {day}", date=f"2026-03-{day:02}")
        for day in range(1, 8)
    ]

    response = client.get("/members/wendy/")

    assert list(response.context["posts"]) == posts[:0:-1]
    assert "Day 1<" not in response.content.decode()


def test_member_page_shows_photos_newest_first(client, member):
    older = GalleryImageFactory(uploaded_by_user=member)
    newer = GalleryImageFactory(uploaded_by_user=member)

    response = client.get("/members/wendy/")

    assert list(response.context["photos"]) == [newer, older]


def test_member_page_lists_their_photos_only(client, member, other_member):
    photo = GalleryImageFactory(uploaded_by_user=member, title="Tabby on a chair")
    GalleryImageFactory(uploaded_by_user=other_member, title="Percy's kitten")
    # An image an editor placed for a page is not a member photo.
    GalleryImageFactory(
        uploaded_by_user=member,
        title="Banner for the home page",
        collection=Collection.get_first_root_node(),
    )

    response = client.get("/members/wendy/")

    assert list(response.context["photos"]) == [photo]
    content = response.content.decode()
    assert "Tabby on a chair" in content
    assert f'href="{reverse("gallery:photo_detail", args=[photo.pk])}"' in content
    assert "kitten" not in content
    assert "Banner for the home page" not in content
    assert "No photos yet." not in content


def test_member_page_escapes_hostile_display_name_and_bio(client, blog_index):
    villain = UserFactory(
        username="villain",
        display_name='<script>alert("name")</script>',
        bio='<img src=x onerror=alert("bio")> <b>bold</b>',
    )
    post_by(villain, blog_index, title="An innocent post")
    GalleryImageFactory(uploaded_by_user=villain, title="An innocent photo")

    response = client.get("/members/villain/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "An innocent post" in content and "An innocent photo" in content
    assert "<script>alert" not in content
    assert "<img src=x" not in content
    assert "<b>bold</b>" not in content
    assert "&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;" in content
    assert "&lt;img src=x onerror=alert(&quot;bio&quot;)&gt;" in content


def test_member_page_links_own_profile_edit_only(client, member, other_member):
    button = 'btn-outline-primary mt-2" href="/accounts/profile/">Edit profile</a>'
    assert button not in client.get("/members/wendy/").content.decode()

    client.force_login(other_member)
    assert button not in client.get("/members/wendy/").content.decode()

    client.force_login(member)
    assert button in client.get("/members/wendy/").content.decode()


def test_member_page_shows_the_avatar(client, member):
    member.avatar.save("x.jpg", ContentFile(jpeg_bytes()))

    content = client.get("/members/wendy/").content.decode()

    assert f'src="{member.avatar.url}"' in content


def test_unknown_member_is_404(client, db):
    assert client.get("/members/nobody/").status_code == 404


def test_inactive_member_is_404(client, member):
    member.is_active = False
    member.save()

    assert client.get("/members/wendy/").status_code == 404
