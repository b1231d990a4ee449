"""What people see of the cat labels: badges, live updates for the owner over
Channels, alt-text suggestions, owners' suggestions and the moderators' lists."""

from unittest import mock

from django.contrib.auth.models import AnonymousUser
from django.test import Client

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from gallery import labelling, live, routing
from gallery.alttext import readable_class, suggest_alt_text
from gallery.consumers import CLOSE_FORBIDDEN
from gallery.models import GalleryImage, LabelSource, LabelStatus
from tests.factories.gallery import GalleryImageFactory

application = URLRouter(routing.websocket_urlpatterns)
TIMEOUT = 5


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("name", "readable"),
    [
        ("tabby, tabby cat", "tabby cat"),
        ("Siamese cat, Siamese", "Siamese cat"),
        ("cab, hack, taxi, taxicab", "cab"),
        ("Egyptian cat", "Egyptian cat"),
    ],
)
def test_readable_class_names(name, readable):
    assert readable_class(name) == readable


def test_alt_text_suggestions():
    assert suggest_alt_text([["tabby, tabby cat", 0.7]], True) == "Photo of a tabby cat"
    assert suggest_alt_text([["Egyptian cat", 0.7]], True) == "Photo of an Egyptian cat"
    assert (
        suggest_alt_text([["pizza, pizza pie", 0.9]], False) == "Photo of a pizza pie"
    )
    assert suggest_alt_text([["tabby", 0.05]], False) == ""
    assert suggest_alt_text([], True) == "Photo of a cat"
    assert suggest_alt_text("garbage", False) == ""


@pytest.mark.django_db
def test_the_label_endpoint_gives_the_badge_and_the_owner_a_suggestion(
    member, other_member
):
    photo = GalleryImageFactory(
        uploaded_by_user=member,
        cat_label="cat",
        cat_label_source="model",
        cat_score=0.93,
        cat_top_classes=[["tabby, tabby cat", 0.8]],
    )
    mine = logged_in(member).get(f"/gallery/photos/{photo.pk}/label/").json()
    assert mine["status"] == "labelled" and "cat 93%" in mine["badge"]
    assert mine["alt_suggestion"] == "Photo of a tabby cat"
    theirs = logged_in(other_member).get(f"/gallery/photos/{photo.pk}/label/").json()
    assert theirs["alt_suggestion"] == ""


@pytest.mark.django_db
def test_the_owners_pending_photo_page_is_live(member, other_member, settings):
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}
    }
    photo = GalleryImageFactory(uploaded_by_user=member)
    GalleryImage.objects.filter(pk=photo.pk).update(
        cat_label_status=LabelStatus.PENDING
    )
    content = logged_in(member).get(f"/gallery/photos/{photo.pk}/").content.decode()
    assert "data-label-live" in content and "js/gallery_live.js" in content
    assert (
        'data-label-push="poll"' in content
    )  # in-memory layer: the worker can't push here
    assert (
        "data-label-live"
        not in logged_in(other_member)
        .get(f"/gallery/photos/{photo.pk}/")
        .content.decode()
    )
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer"}
    }
    assert (
        'data-label-push="socket"'
        in logged_in(member).get(f"/gallery/photos/{photo.pk}/").content.decode()
    )


@pytest.mark.django_db(transaction=True)
async def test_the_owner_hears_the_label_over_the_socket(member, other_member):
    photo = await database_sync_to_async(GalleryImageFactory)(uploaded_by_user=member)
    owner = WebsocketCommunicator(application, "/ws/gallery/labels/")
    owner.scope["user"] = member
    stranger = WebsocketCommunicator(application, "/ws/gallery/labels/")
    stranger.scope["user"] = other_member
    assert (await owner.connect(timeout=TIMEOUT))[0]
    assert (await stranger.connect(timeout=TIMEOUT))[0]
    try:
        await database_sync_to_async(labelling.set_moderator_label)(photo, "cat")
        frame = await owner.receive_json_from(timeout=TIMEOUT)
        assert frame["type"] == "label" and frame["photo"] == photo.pk
        assert frame["label"] == "cat" and frame["status"] == "labelled"
        assert (
            f'data-label-badge="{photo.pk}"' in frame["badge"]
            and "cat" in frame["badge"]
        )
        assert await stranger.receive_nothing(timeout=0.5)
    finally:
        await owner.disconnect()
        await stranger.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_the_socket_is_for_members_only():
    anonymous = WebsocketCommunicator(application, "/ws/gallery/labels/")
    anonymous.scope["user"] = AnonymousUser()
    assert await anonymous.connect(timeout=TIMEOUT) == (False, CLOSE_FORBIDDEN)


@pytest.mark.django_db
def test_the_classifier_success_path_announces_after_commit(
    member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        photo = GalleryImageFactory(uploaded_by_user=member)
    with (
        mock.patch.object(live, "announce_label") as announce,
        django_capture_on_commit_callbacks(execute=True),
    ):
        GalleryImage.objects.filter(pk=photo.pk).update(
            cat_label_status=LabelStatus.PENDING
        )
        labelling.label_photo.call(photo.pk)
        announce.assert_not_called()  # not before the commit
    announce.assert_called_once_with(photo.pk)
    photo.refresh_from_db()
    assert photo.cat_model_label == photo.cat_label != ""


@pytest.mark.django_db
def test_a_channel_layer_that_is_down_never_fails_the_labelling(
    member, django_capture_on_commit_callbacks
):
    class BrokenLayer:
        async def group_send(self, *args, **kwargs):
            raise ConnectionError("redis is down")

    photo = GalleryImageFactory(uploaded_by_user=member)
    GalleryImage.objects.filter(pk=photo.pk).update(
        cat_label_status=LabelStatus.PENDING
    )
    with mock.patch.object(live, "get_channel_layer", return_value=BrokenLayer()):
        with django_capture_on_commit_callbacks(execute=True):
            assert labelling.label_photo.call(photo.pk) == "labelled"
        assert live.announce_label(photo.pk) is False
    photo.refresh_from_db()
    assert photo.cat_label_status == LabelStatus.LABELLED


@pytest.mark.django_db
def test_owners_suggest_a_label_and_moderators_decide(member, moderator):
    photo = GalleryImageFactory(
        uploaded_by_user=member,
        cat_label="not_cat",
        cat_label_source="model",
        cat_score=0.3,
        cat_model_label="not_cat",
        cat_model_version="v1",
    )
    client = logged_in(member)
    assert (
        client.post(
            f"/gallery/photos/{photo.pk}/cat-or-not/", {"label": "cat"}
        ).status_code
        == 302
    )
    # ... and a crafted request cannot set the label itself
    client.post(
        f"/gallery/photos/{photo.pk}/edit/",
        {"title": "x", "cat_label": "cat", "cat_label_source": "moderator"},
    )
    client.post(f"/gallery/photos/{photo.pk}/cat-or-not/", {"label": "moderator"})
    photo.refresh_from_db()
    assert (photo.cat_label, photo.cat_label_source, photo.cat_label_suggestion) == (
        "not_cat",
        "model",
        "cat",
    )

    admin = logged_in(moderator)
    listing = admin.get("/admin/gallery/labels/?suggested=yes")
    assert [p.pk for p in listing.context["photos"]] == [photo.pk]
    admin.post("/admin/gallery/labels/", {"photo": [photo.pk, "junk"], "label": "cat"})
    photo.refresh_from_db()
    assert (photo.cat_label, photo.cat_label_source, photo.cat_label_suggestion) == (
        "cat",
        "moderator",
        "",
    )
    assert photo.cat_model_label == "not_cat"  # what the model said is kept

    report = admin.get("/admin/gallery/model/")
    [version] = report.context["reports"]
    assert (version.version, version.checked, version.false_negatives) == ("v1", 1, 1)
    assert version.recall == 0.0
    assert report.context["backlog"].waiting == 1
    assert report.context["backlog"].corrections == 1


@pytest.mark.django_db
def test_the_label_list_filters_and_puts_uncertain_ones_first(member, moderator):
    sure = GalleryImageFactory(
        uploaded_by_user=member,
        cat_label="cat",
        cat_score=0.99,
        cat_label_source="model",
    )
    unsure = GalleryImageFactory(
        uploaded_by_user=member,
        cat_label="cat",
        cat_score=0.55,
        cat_label_source="model",
    )
    dog = GalleryImageFactory(
        uploaded_by_user=member,
        cat_label="not_cat",
        cat_score=0.1,
        cat_label_source="model",
    )
    admin = logged_in(moderator)
    assert list(admin.get("/admin/gallery/labels/").context["photos"])[:3] == [
        unsure,
        dog,
        sure,
    ]
    assert list(
        admin.get("/admin/gallery/labels/?label=not_cat").context["photos"]
    ) == [dog]
    assert list(admin.get("/admin/gallery/labels/?band=40-60").context["photos"]) == [
        unsure
    ]
    assert (
        list(admin.get("/admin/gallery/labels/?source=moderator").context["photos"])
        == []
    )


@pytest.mark.django_db
def test_members_cannot_use_the_moderation_views(member):
    client = logged_in(member)
    for url in (
        "/admin/gallery/labels/",
        "/admin/gallery/model/",
        "/admin/gallery/reports/",
    ):
        assert client.get(url).status_code == 302  # no admin access at all
    photo = GalleryImageFactory(uploaded_by_user=member)
    client.post("/admin/gallery/labels/", {"photo": [photo.pk], "label": "cat"})
    photo.refresh_from_db()
    assert photo.cat_label_source != LabelSource.MODERATOR
