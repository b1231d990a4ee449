"""Members write posts on the public site: drafts, pictures, preview, submission."""

import io
import uuid

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.models import WorkflowState

import pytest
from PIL import ExifTags, Image

from blog.models import BlogPage

pytestmark = pytest.mark.django_db

BODY = """Mittens has a new favourite spot.

## The sofa

She sleeps on the **left** cushion, *always*. [More here](https://example.com/cats).

- breakfast
- nap

> If I fits, I sits.
>
> — Mittens
"""


def jpeg(size=(800, 600), gps=False) -> SimpleUploadedFile:
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
    return SimpleUploadedFile("cat.jpg", buffer.getvalue(), content_type="image/jpeg")


def post_data(**overrides):
    return {
        "title": "Mittens and the sofa",
        "intro": "A short story about a long nap.",
        "tags": "naps, sofa life",
        "body": BODY,
        "token": str(uuid.uuid4()),
        "action": "draft",
        **overrides,
    }


def test_anonymous_readers_are_sent_to_log_in(client, blog_index):
    for url in ("/blog/write/", "/blog/my-posts/", "/blog/posts/1/edit/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


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
    assert client.get(post.url or "/blog/mittens-and-the-sofa/").status_code == 404
    assert not WorkflowState.objects.exists()


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
    # Wagtail emails the moderators.
    assert any(moderator.email in message.to for message in mail.outbox)
