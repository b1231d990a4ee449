"""Members write posts on the public site: drafts, pictures, preview, submission,
and every bad input refused with nothing half-saved."""

import io
import os
import threading

from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from wagtail.models import Revision, WorkflowState

import pytest
from PIL import ExifTags, Image

from blog.models import BlogPage
from gallery.models import GalleryImage
from tests.blog.posts import BODY, post_data, write

pytestmark = pytest.mark.django_db


def jpeg(size=(800, 600), gps=False, name="cat.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    if gps:
        exif[ExifTags.Base.Make] = "Whiskercam"
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (51.0, 30.0, 1.0),
        }
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def media_files() -> set[str]:
    root = settings.MEDIA_ROOT
    return {
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _, names in os.walk(root)
        for name in names
    }


def nothing_saved(before_files: set[str]):
    assert not BlogPage.objects.exists()
    assert not Revision.objects.filter(content_type__model="blogpage").exists()
    assert not GalleryImage.objects.filter(collection__name="Blog images").exists()
    assert media_files() == before_files


def test_anonymous_readers_are_sent_to_log_in(client, blog_index):
    for url in ("/blog/write/", "/blog/my-posts/", "/blog/posts/1/edit/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    response = client.post("/blog/write/", post_data())
    assert response.status_code == 302 and not BlogPage.objects.exists()


def test_the_writing_page(client, member, blog_index):
    client.force_login(member)
    content = client.get("/blog/write/").content.decode()
    for name in (
        "title",
        "intro",
        "tags",
        "body",
        "listing_image",
        "picture",
        "picture_alt",
    ):
        assert f'name="{name}"' in content
    assert 'value="submit"' in content and 'value="preview"' in content
    assert "/static/js/post_editor.js" in content


def test_a_member_saves_a_draft_that_stays_private(client, member, blog_index):
    client.force_login(member)
    response = client.post("/blog/write/", post_data())
    post = BlogPage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/blog/posts/{post.pk}/edit/"
    assert not post.live
    assert post.owner == member
    assert list(post.authors.all()) == [member]
    assert sorted(tag.name for tag in post.tags.all()) == ["naps", "sofa life"]
    assert [block.block_type for block in post.body] == [
        "paragraph",
        "heading",
        "paragraph",
        "quote",
    ]
    assert post.latest_revision.user == member
    assert client.get("/blog/mittens-and-the-sofa/").status_code == 404
    assert not WorkflowState.objects.exists()


def test_the_body_is_stored_as_the_editors_blocks(member, blog_index):
    post = write(member)
    heading, paragraph, quote = post.body[1], post.body[2], post.body[3]
    assert heading.value == {"text": "The sofa", "size": "h2"}
    assert paragraph.value.source == (
        "<p>She sleeps on the <b>left</b> cushion, <i>always</i>. "
        '<a href="https://example.com/cats">More here</a>.</p>\n'
        "<ul>\n<li>breakfast</li>\n<li>nap</li>\n</ul>"
    )
    assert quote.value["text"] == "If I fits, I sits."
    assert quote.value["attribution"] == "Mittens"


def test_submitting_starts_the_moderation_workflow(
    client, member, moderator, blog_index
):
    client.force_login(member)
    response = client.post("/blog/write/", post_data(action="submit"))
    assert response.status_code == 302 and response["Location"] == "/blog/my-posts/"
    post = BlogPage.objects.get()
    state = post.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Moderator approval"
    assert state.requested_by == member
    assert state.current_task_state.revision == post.latest_revision
    assert not post.live
    # Wagtail emails the moderators, with a link into the admin.
    to_moderator = [message for message in mail.outbox if moderator.email in message.to]
    assert to_moderator and "/admin/pages/" in to_moderator[0].body


def test_preview_shows_the_latest_draft_to_its_author_only(
    client, member, other_member, draft
):
    client.force_login(member)
    response = client.get(f"/blog/posts/{draft.pk}/preview/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Preview" in content and "If I fits, I sits." in content
    assert '<meta name="robots" content="noindex">' in content
    client.force_login(other_member)
    assert client.get(f"/blog/posts/{draft.pk}/preview/").status_code == 404


def test_the_preview_button_saves_then_shows_the_preview(client, member, blog_index):
    client.force_login(member)
    response = client.post("/blog/write/", post_data(action="preview"))
    post = BlogPage.objects.get()
    assert response["Location"] == f"/blog/posts/{post.pk}/preview/"


def test_editing_shows_the_markdown_again_and_saves_a_new_revision(
    client, member, draft
):
    client.force_login(member)
    page = client.get(f"/blog/posts/{draft.pk}/edit/")
    form = page.context["form"]
    assert form.initial["body"].strip() == BODY.strip()
    response = client.post(
        f"/blog/posts/{draft.pk}/edit/",
        post_data(title="A better title", body=BODY + "\nOne more paragraph.\n"),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.draft_title == "A better title"
    assert draft.revisions.count() == 2
    latest = draft.get_latest_revision_as_object()
    assert latest.body[-1].value.source == "<p>One more paragraph.</p>"


def test_a_published_post_keeps_its_live_text_until_changes_are_approved(
    client, member, moderator, submitted
):
    from tests.blog.test_workflow import act

    act(submitted, moderator, "approve")
    client.force_login(member)
    client.post(f"/blog/posts/{submitted.pk}/edit/", post_data(title="Rewritten title"))
    submitted.refresh_from_db()
    assert submitted.live and submitted.title == "Sent for review"
    assert submitted.has_unpublished_changes
    assert client.get(submitted.url).content.decode().count("Rewritten title") == 0


def test_pictures_from_the_editor_button_are_clean_and_go_into_the_post(
    client, member, blog_index
):
    client.force_login(member)
    response = client.post(
        "/blog/pictures/",
        {"picture": jpeg(gps=True), "alt_text": "A tabby", "caption": 'Nap "time"'},
    )
    assert response.status_code == 201
    data = response.json()
    image = GalleryImage.objects.get(pk=data["id"])
    assert data["markdown"] == f"![A tabby](image:{image.pk} \"Nap 'time'\")"
    assert image.uploaded_by_user == member
    assert image.collection.name == "Blog images"
    with image.open_file() as handle:
        stored = handle.read()
    assert b"Whiskercam" not in stored and b"Exif" not in stored

    client.post("/blog/write/", post_data(body=f"Look:\n\n{data['markdown']}\n"))
    block = BlogPage.objects.get().body[1]
    assert block.block_type == "image"
    assert block.value["image"] == image
    assert block.value["alt_text"] == "A tabby"
    assert block.value["caption"] == "Nap 'time'"


def test_a_picture_added_with_the_form_goes_at_the_end(client, member, blog_index):
    client.force_login(member)
    client.post(
        "/blog/write/",
        post_data(picture=jpeg(), picture_alt="A sleepy cat", picture_caption="Zzz"),
    )
    post = BlogPage.objects.get()
    last = post.body[-1]
    assert last.block_type == "image"
    assert last.value["alt_text"] == "A sleepy cat"
    assert last.value["image"].uploaded_by_user == member


def test_a_picture_needs_a_description(client, member, blog_index):
    client.force_login(member)
    before = media_files()
    response = client.post("/blog/write/", post_data(picture=jpeg()))
    assert response.status_code == 400
    assert "Describe the picture" in response.content.decode()
    nothing_saved(before)


def test_the_cover_picture_is_re_encoded_without_gps(client, member, blog_index):
    client.force_login(member)
    client.post(
        "/blog/write/", post_data(listing_image=jpeg(size=(4000, 3000), gps=True))
    )
    cover = BlogPage.objects.get().listing_image
    assert cover.uploaded_by_user == member
    assert max(cover.width, cover.height) == settings.BLOG_IMAGE_MAX_EDGE
    with cover.open_file() as handle:
        assert b"Whiskercam" not in handle.read()


def truncated_jpeg():
    data = jpeg(size=(600, 600)).read()
    return SimpleUploadedFile("half.jpg", data[: len(data) // 3])


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            lambda: SimpleUploadedFile("x.jpg", b"not a picture at all"),
            "not a picture we can read",
        ),
        (truncated_jpeg, "not a picture we can read"),
        (
            lambda: SimpleUploadedFile(
                "x.svg",
                b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            ),
            "not a picture we can read",
        ),
        (lambda: jpeg(size=(9000, 6000)), "megapixels"),
        (lambda: SimpleUploadedFile("empty.jpg", b""), "empty"),
    ],
)
def test_bad_pictures_are_refused_next_to_the_field_and_nothing_is_saved(
    client, member, blog_index, upload, message, settings
):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 50_000_000
    client.force_login(member)
    before = media_files()
    response = client.post("/blog/write/", post_data(listing_image=upload()))
    assert response.status_code == 400
    errors = response.context["form"].errors["listing_image"]
    assert message in " ".join(errors)
    nothing_saved(before)


def test_a_picture_over_the_size_limit_is_refused(client, member, blog_index, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1000
    client.force_login(member)
    response = client.post("/blog/write/", post_data(listing_image=jpeg()))
    assert (
        "pictures can be at most" in response.context["form"].errors["listing_image"][0]
    )
    assert not BlogPage.objects.exists()


def test_someone_elses_picture_cannot_be_used(client, member, other_member, blog_index):
    client.force_login(other_member)
    other = client.post(
        "/blog/pictures/", {"picture": jpeg(), "alt_text": "Theirs"}
    ).json()
    client.force_login(member)
    before, pictures = media_files(), GalleryImage.objects.count()
    response = client.post(
        "/blog/write/", post_data(body=f"Mine!\n\n{other['markdown']}\n")
    )
    assert response.status_code == 400
    assert (
        f"image:{other['id']} isn't one of yours"
        in response.context["form"].errors["body"][0]
    )
    assert not BlogPage.objects.exists()
    assert GalleryImage.objects.count() == pictures
    assert media_files() == before


def test_a_failure_after_pictures_were_stored_deletes_them(
    client, member, blog_index, monkeypatch
):
    from blog import services

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services.BlogPage, "save_revision", broken)
    client.force_login(member)
    client.raise_request_exception = False
    before = media_files()
    response = client.post(
        "/blog/write/", post_data(listing_image=jpeg(), picture=jpeg(), picture_alt="x")
    )
    assert response.status_code == 500
    nothing_saved(before)


def test_a_double_click_makes_one_post(client, member, blog_index):
    client.force_login(member)
    data = post_data(action="submit")
    first = client.post("/blog/write/", data)
    second = client.post("/blog/write/", data)
    assert BlogPage.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert WorkflowState.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_with_one_token_make_one_post(member, blog_index):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite allows one writer at a time; the race needs PostgreSQL")
    from django.test import Client

    data = post_data()
    results = []

    def send():
        client = Client()
        client.force_login(member)
        results.append(client.post("/blog/write/", data).status_code)

    threads = [threading.Thread(target=send) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [302, 302, 302]
    assert BlogPage.objects.count() == 1


def test_writing_is_rate_limited_with_a_clear_message(
    client, member, blog_index, settings
):
    settings.BLOG_WRITE_RATE_LIMIT = "2/3600"
    client.force_login(member)
    client.post("/blog/write/", post_data())
    client.post("/blog/write/", post_data())
    response = client.post("/blog/write/", post_data(title="One too many"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    content = response.content.decode()
    assert "You&#x27;ve saved a lot of posts lately" in content
    assert "One too many" in content  # the text is still in the form
    assert BlogPage.objects.count() == 2


def test_a_post_in_review_is_locked_for_its_author(client, member, submitted):
    client.force_login(member)
    page = client.get(f"/blog/posts/{submitted.pk}/edit/").content.decode()
    assert "This post is with the moderators" in page
    assert 'id="post-form"' not in page
    response = client.post(
        f"/blog/posts/{submitted.pk}/edit/", post_data(title="Sneaky")
    )
    assert response.status_code == 400
    assert (
        "This post is in review, so it can&#x27;t be changed now"
        in response.content.decode()
    )
    submitted.refresh_from_db()
    assert submitted.draft_title == "Sent for review"


def test_withdrawing_unlocks_the_post(client, member, submitted):
    client.force_login(member)
    response = client.post(f"/blog/posts/{submitted.pk}/withdraw/")
    assert response["Location"] == f"/blog/posts/{submitted.pk}/edit/"
    submitted.refresh_from_db()
    assert submitted.current_workflow_state is None
    assert (
        'id="post-form"'
        in client.get(f"/blog/posts/{submitted.pk}/edit/").content.decode()
    )
