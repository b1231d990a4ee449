"""The feed, tag pages, the photo page, the member page and GalleryPage: what they
show, load more, alt text and srcset, and queries that don't grow with photos."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from gallery.models import GalleryImage, GalleryPage, PhotoLike
from home.models import HomePage
from tests.factories.gallery import GalleryImageFactory

pytestmark = pytest.mark.django_db


def photo_of(user, *tags, **fields):
    photo = GalleryImageFactory(uploaded_by_user=user, **fields)
    if tags:
        photo.tags.add(*tags)
    return photo


def test_tiles_have_alt_text_srcset_sizes_badge_and_likes(client, member, other_member):
    photo = photo_of(
        member,
        description="A tabby on a mat",
        cat_label="cat",
        cat_score=0.97,
        cat_label_source="model",
    )
    PhotoLike.objects.create(photo=photo, user=other_member)
    content = client.get("/gallery/").content.decode()
    assert 'alt="A tabby on a mat"' in content
    assert "srcset=" in content and 'sizes="(min-width: 992px) 25vw' in content
    assert "cat 97%" in content
    assert '<i class="fa-solid fa-heart" aria-hidden="true"></i> 1' in content
    assert "Comments (the comments issue)" not in content  # a template comment only


def test_badges_say_labelling_and_not_a_cat(client, member):
    photo_of(member, title="Pending one")
    photo_of(member, cat_label="not_cat", cat_label_source="model", cat_score=0.02)
    photo_of(member, cat_label="cat", cat_label_source="moderator")
    content = client.get("/gallery/").content.decode()
    assert "labelling…" in content
    assert "not a cat" in content
    assert "A moderator says this is a cat" in content


def test_load_more_appends_the_next_page_and_works_without_javascript(client, member):
    photos = GalleryImageFactory.create_batch(30, uploaded_by_user=member)
    first = client.get("/gallery/")
    assert len(first.context["photos"]) == 24
    page = first.context["photos"]
    assert page.has_next
    content = first.content.decode()
    assert f'href="?{page.next_query.replace("&", "&amp;")}"' in content
    assert "hx-get=" in content

    # A photo uploaded meanwhile does not push page 1's photos into page 2.
    GalleryImageFactory(uploaded_by_user=member, title="Newer meanwhile")
    more = client.get(f"/gallery/?{page.next_query}", HTTP_HX_REQUEST="true")
    assert more.templates[0].name == "gallery/_photo_page.html"
    shown = {p.pk for p in first.context["photos"]} | {
        p.pk for p in more.context["photos"]
    }
    assert shown == {p.pk for p in photos}
    assert "Newer meanwhile" not in more.content.decode()
    assert "<html" not in more.content.decode()

    full = client.get(f"/gallery/?{page.next_query}")  # no JavaScript: a page
    assert "<html" in full.content.decode() and len(full.context["photos"]) == 6


def test_hostile_paging_values_are_ignored(client, member):
    photo_of(member)
    for query in ("page=abc", "page=-5", "upto=x", "page=99999999999999999999"):
        assert client.get(f"/gallery/?{query}").status_code == 200


def test_tag_pages_and_popular_tags(client, member, other_member):
    tabby = photo_of(member, "tabby", "naps", title="Tabby nap")
    photo_of(other_member, "tabby", title="Another tabby")
    photo_of(member, "dogs", title="A dog")

    feed = client.get("/gallery/").content.decode()
    assert 'href="/gallery/tags/tabby/"' in feed
    assert feed.index("#tabby") < feed.index("#dogs")  # most used first

    response = client.get("/gallery/tags/tabby/")
    assert {p.title for p in response.context["photos"]} == {
        "Tabby nap",
        "Another tabby",
    }
    assert client.get("/gallery/tags/TABBY/").context["photos"].photos
    detail = client.get(f"/gallery/photos/{tabby.pk}/").content.decode()
    assert 'href="/gallery/tags/naps/"' in detail
    assert client.get("/gallery/tags/unknown/").status_code == 200


def test_hostile_text_is_escaped_everywhere(client, member):
    evil = '<script>alert("x")</script>'
    photo = photo_of(member, evil, title=evil, caption=evil, description=evil)
    for url in (
        "/gallery/",
        f"/gallery/photos/{photo.pk}/",
        "/gallery/tags/%3Cscript%3Ealert(%22x%22)%3C/script%3E/",
        "/members/wendy/",
        "/search/?q=script",
    ):
        content = client.get(url).content.decode()
        assert "<script>alert" not in content, url


def test_the_photo_page_shows_everything(client, member, other_member):
    photo = photo_of(
        member,
        "tabby",
        title="Chair",
        caption="Mine now.",
        description="A cat on a chair",
    )
    PhotoLike.objects.create(photo=photo, user=other_member)
    content = client.get(f"/gallery/photos/{photo.pk}/").content.decode()
    assert "Chair" in content and "Mine now." in content
    assert "Alt text:</span> A cat on a chair" in content
    assert "1 like" in content and "Log in to like it" in content
    assert 'id="comments"' in content  # where the comments will go
    assert "srcset=" in content


def test_member_page_lists_all_photos_with_load_more_and_likes_for_themselves(
    client, member, other_member
):
    GalleryImageFactory.create_batch(14, uploaded_by_user=member)
    liked = photo_of(other_member, title="Percy's kitten")
    PhotoLike.objects.create(photo=liked, user=member)

    response = client.get("/members/wendy/")
    assert len(response.context["photos"]) == 12 and response.context["photos"].has_next
    assert response.context["liked"] is None
    assert "Photos I liked" not in response.content.decode()

    client.force_login(member)
    response = client.get("/members/wendy/")
    assert [p.title for p in response.context["liked"]] == ["Percy's kitten"]
    more = client.get(
        f"/members/wendy/?{response.context['photos'].next_query}",
        HTTP_HX_REQUEST="true",
    )
    assert len(more.context["photos"]) == 2


def count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/gallery/",
        "/gallery/tags/tabby/",
        "/gallery/cats/?order=confident",
        "/members/wendy/",
        "PHOTO",
    ],
)
def test_queries_do_not_grow_with_photos(client, member, other_member, url):
    def grow(count):
        for _ in range(count):
            photo = photo_of(
                member,
                "tabby",
                cat_label="cat",
                cat_score=0.9,
                cat_label_source="model",
            )
            PhotoLike.objects.create(photo=photo, user=other_member)

    grow(2)
    target = (
        url if url != "PHOTO" else f"/gallery/photos/{GalleryImage.objects.first().pk}/"
    )
    few = count_queries(client, target)
    grow(12)
    assert count_queries(client, target) == few


def test_cat_zone_filters_by_member_and_tag_and_orders_by_confidence(
    client, member, other_member
):
    sure = photo_of(
        member, "tabby", cat_label="cat", cat_score=0.99, cat_label_source="model"
    )
    unsure = photo_of(member, cat_label="cat", cat_score=0.6, cat_label_source="model")
    moderated = photo_of(other_member, cat_label="cat", cat_label_source="moderator")
    photo_of(member, cat_label="not_cat", cat_score=0.1, cat_label_source="model")

    assert list(client.get("/gallery/cats/").context["photos"]) == [
        moderated,
        unsure,
        sure,
    ]
    assert list(client.get("/gallery/cats/?order=confident").context["photos"]) == [
        moderated,
        sure,
        unsure,
    ]
    assert list(client.get("/gallery/cats/?member=wendy").context["photos"]) == [
        unsure,
        sure,
    ]
    assert list(client.get("/gallery/cats/?tag=tabby").context["photos"]) == [sure]


def test_a_gallery_page_shows_a_collection_or_a_tag(client, member, other_member):
    from gallery.services import member_collection

    mine = photo_of(member, "garden", title="Wendy's")
    theirs = photo_of(other_member, "garden", title="Percy's")
    home = HomePage.objects.get()
    by_album = home.add_child(
        instance=GalleryPage(
            title="Wendy's album",
            slug="wendys-album",
            collection=member_collection(member),
            intro="<p>Her <b>best</b>.</p>",
        )
    )
    by_tag = home.add_child(
        instance=GalleryPage(title="Gardens", slug="gardens", tag="Garden")
    )

    response = client.get(by_album.url)
    assert list(response.context["photos"]) == [mine]
    assert "Her <b>best</b>." in response.content.decode()
    assert list(client.get(by_tag.url).context["photos"]) == [theirs, mine]
    more = client.get(by_tag.url, HTTP_HX_REQUEST="true")
    assert "<html" not in more.content.decode()


def test_gallery_page_needs_a_collection_or_a_tag():
    from django.core.exceptions import ValidationError

    page = GalleryPage(title="Empty", slug="empty")
    with pytest.raises(ValidationError):
        page.clean()
