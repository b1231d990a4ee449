"""Owners edit and delete; likes count once; reports reach the moderators, who
hide, restore or delete; a hidden photo is gone from every public place."""

import threading

from django.db import connection
from django.test import Client

from wagtail.models import Collection

import pytest

from gallery import services
from gallery.models import GalleryImage, GalleryPage, PhotoLike, PhotoReport
from home.models import HomePage
from tests.factories.gallery import GalleryImageFactory
from tests.gallery.conftest import media_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(member):
    photo = GalleryImageFactory(uploaded_by_user=member, title="Chair, claimed")
    photo.tags.add("tabby")
    return photo


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# Editing and deleting


def test_the_owner_edits_title_caption_alt_text_and_tags(member, photo):
    client = logged_in(member)
    assert client.get(f"/gallery/photos/{photo.pk}/edit/").status_code == 200
    response = client.post(
        f"/gallery/photos/{photo.pk}/edit/",
        {
            "title": "New title",
            "caption": "New caption",
            "alt_text": "A cat",
            "tags": "a, B",
        },
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.title, photo.caption, photo.description) == (
        "New title",
        "New caption",
        "A cat",
    )
    assert sorted(t.name for t in photo.tags.all()) == ["a", "b"]


def test_the_edit_page_suggests_alt_text_from_the_classifier(member, photo):
    photo.cat_top_classes = [["tabby, tabby cat", 0.8], ["tiger cat", 0.1]]
    photo.cat_label = "cat"
    photo.save()
    content = (
        logged_in(member).get(f"/gallery/photos/{photo.pk}/edit/").content.decode()
    )
    assert 'value="Photo of a tabby cat"' in content
    assert "Suggested from what the cat detector sees" in content


@pytest.mark.parametrize("action", ["edit", "delete", "cat-or-not"])
def test_someone_elses_photo_cannot_be_changed(other_member, moderator, photo, action):
    url = f"/gallery/photos/{photo.pk}/{action}/"
    data = {"title": "Hacked", "label": "not_cat", "tags": "x"}
    for user in (other_member, moderator):
        response = logged_in(user).post(url, data)
        assert response.status_code == 404
    assert Client().post(url, data).status_code == 302  # to the login page
    photo.refresh_from_db()
    assert photo.title == "Chair, claimed" and photo.cat_label_suggestion == ""
    assert GalleryImage.objects.filter(pk=photo.pk).exists()


def test_deleting_removes_the_row_the_original_and_every_rendition(
    member, photo, run_on_commit
):
    photo.get_rendition("fill-40x40")
    photo.get_rendition("max-30x30")
    original = photo.file.name
    files = media_files()
    assert original in files and len([f for f in files if f.startswith("images/")]) >= 2

    with run_on_commit():
        response = logged_in(member).post(f"/gallery/photos/{photo.pk}/delete/")

    assert response.status_code == 302
    assert not GalleryImage.objects.filter(pk=photo.pk).exists()
    left = media_files()
    assert original not in left
    assert not [
        name for name in left if f"{original.split('/')[-1].split('.')[0]}" in name
    ]


# Likes


def test_a_like_counts_once_and_can_be_taken_back(other_member, photo):
    client = logged_in(other_member)
    url = f"/gallery/photos/{photo.pk}/like/"
    for _ in range(3):  # a triple click
        response = client.post(url, {"liked": "1"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
    assert PhotoLike.objects.filter(photo=photo).count() == 1
    assert (
        "1 like" in response.content.decode() and "Liked" in response.content.decode()
    )
    client.post(url, {"liked": "0"})
    assert not PhotoLike.objects.exists()


def test_likes_need_an_account_and_a_visible_photo(other_member, photo):
    assert (
        Client().post(f"/gallery/photos/{photo.pk}/like/", {"liked": "1"}).status_code
        == 302
    )
    photo.is_hidden = True
    photo.save()
    assert (
        logged_in(other_member)
        .post(f"/gallery/photos/{photo.pk}/like/", {"liked": "1"})
        .status_code
        == 404
    )
    assert not PhotoLike.objects.exists()


def test_a_like_as_someone_else_likes_as_yourself(member, other_member, photo):
    logged_in(other_member).post(
        f"/gallery/photos/{photo.pk}/like/", {"liked": "1", "user": member.pk}
    )
    assert list(PhotoLike.objects.values_list("user", flat=True)) == [other_member.pk]


@pytest.mark.django_db(transaction=True)
def test_concurrent_likes_count_once(member, other_member):
    if connection.vendor == "sqlite":
        pytest.skip(
            "SQLite serialises writers: concurrent likes need PostgreSQL (the CI's second pass)"
        )
    photo = GalleryImageFactory(uploaded_by_user=member)
    barrier = threading.Barrier(8)
    errors = []

    def like():
        try:
            barrier.wait()
            services.set_like(other_member, photo, True)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=like) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert PhotoLike.objects.filter(photo=photo).count() == 1


# Reports and hiding


def test_a_member_reports_a_photo_once(other_member, photo):
    client = logged_in(other_member)
    url = f"/gallery/photos/{photo.pk}/report/"
    assert client.post(url, {"reason": "other"}).status_code == 400  # needs details
    assert client.post(url, {"reason": "spam"}).status_code == 302
    assert client.post(url, {"reason": "other", "details": "Again"}).status_code == 400
    report = PhotoReport.objects.get()
    assert (report.reporter, report.reason, report.is_open) == (
        other_member,
        "spam",
        True,
    )
    assert (
        "You reported this photo"
        in client.get(f"/gallery/photos/{photo.pk}/").content.decode()
    )


def test_owners_cannot_report_their_own_photo(member, photo):
    response = logged_in(member).post(
        f"/gallery/photos/{photo.pk}/report/", {"reason": "spam"}
    )
    assert response.status_code == 400
    assert not PhotoReport.objects.exists()


def public_places(photo):
    home = HomePage.objects.get()
    page = GalleryPage.objects.first() or home.add_child(
        instance=GalleryPage(title="Tabbies", slug="tabbies", tag="tabby")
    )
    return [
        "/",
        "/gallery/",
        "/gallery/cats/",
        "/gallery/tags/tabby/",
        "/members/wendy/",
        f"/search/?q={photo.title.split(',')[0]}",
        page.url,
    ]


def test_a_hidden_photo_is_gone_from_every_public_place(
    member, other_member, moderator, photo
):
    photo.cat_label = "cat"
    photo.save()
    places = public_places(photo)
    reader = Client()
    for url in places:
        assert "Chair, claimed" in reader.get(url).content.decode(), url

    services.hide_photo(moderator, photo)

    for client in (reader, logged_in(other_member)):
        for url in places:
            assert "Chair, claimed" not in client.get(url).content.decode(), url
        assert client.get(f"/gallery/photos/{photo.pk}/").status_code == 404
        assert client.get(f"/gallery/photos/{photo.pk}/label/").status_code == 404
        assert client.post(
            f"/gallery/photos/{photo.pk}/report/", {"reason": "spam"}
        ).status_code in (302, 404)
    assert photo not in GalleryImage.objects.photos()
    assert photo not in GalleryImage.objects.photos().search("Chair")
    # Its owner and the moderators still see it, marked hidden.
    for user in (member, moderator):
        content = logged_in(user).get(f"/gallery/photos/{photo.pk}/").content.decode()
        assert "Hidden by a moderator." in content
    assert "hidden" in logged_in(member).get("/members/wendy/").content.decode()

    services.restore_photo(moderator, photo)
    assert reader.get(f"/gallery/photos/{photo.pk}/").status_code == 200


def test_members_cannot_hide_or_unhide(member, other_member, photo):
    with pytest.raises(services.PermissionDenied):
        services.hide_photo(other_member, photo)
    photo.is_hidden = True
    photo.save()
    with pytest.raises(services.PermissionDenied):
        services.restore_photo(member, photo)  # not even its owner
    for user in (member, other_member):
        client = logged_in(user)
        assert client.get("/admin/").status_code == 302  # no admin for members
        response = client.post(
            f"/admin/gallery/reports/{photo.pk}/", {"action": "restore"}
        )
        assert response.status_code in (302, 403)
    photo.refresh_from_db()
    assert photo.is_hidden


def test_moderators_see_reports_in_the_moderation_menu_and_hide(
    moderator, other_member, photo
):
    PhotoReport.objects.create(
        photo=photo, reporter=other_member, reason="other", details="<b>Not a cat</b>"
    )
    client = logged_in(moderator)

    dashboard = client.get("/admin/").content.decode()
    assert "Reported photos" in dashboard and "Cat labels" in dashboard

    listing = client.get("/admin/gallery/reports/").content.decode()
    assert "Chair, claimed" in listing
    detail = client.get(f"/admin/gallery/reports/{photo.pk}/").content.decode()
    assert "Something else" in detail and "&lt;b&gt;Not a cat&lt;/b&gt;" in detail
    assert "@percy" in detail

    client.post(f"/admin/gallery/reports/{photo.pk}/", {"action": "hide"})
    photo.refresh_from_db()
    report = PhotoReport.objects.get()
    assert photo.is_hidden and photo.hidden_by == moderator
    assert report.resolution == "hidden" and report.resolved_by == moderator
    assert list(client.get("/admin/gallery/reports/").context["photos"]) == []

    client.post(f"/admin/gallery/reports/{photo.pk}/", {"action": "restore"})
    photo.refresh_from_db()
    assert not photo.is_hidden

    client.post(f"/admin/gallery/reports/{photo.pk}/", {"action": "delete"})
    assert not GalleryImage.objects.filter(pk=photo.pk).exists()


def test_the_moderators_group_has_the_permission_by_migration(groups):
    codenames = set(groups["Moderators"].permissions.values_list("codename", flat=True))
    assert "moderate_photo" in codenames
    assert "moderate_photo" not in set(
        groups["Members"].permissions.values_list("codename", flat=True)
    )


def test_editors_see_member_photos_in_the_image_library(editor, photo):
    content = logged_in(editor).get("/admin/images/").content.decode()
    assert "Chair, claimed" in content


def test_editorial_images_are_not_photos(member):
    image = GalleryImageFactory(
        uploaded_by_user=member, collection=Collection.get_first_root_node()
    )
    assert image not in GalleryImage.objects.uploads()
