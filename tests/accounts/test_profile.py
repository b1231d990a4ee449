import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from PIL import Image

from tests.accounts.images import (
    CAMERA,
    jpeg_bytes,
    jpeg_upload,
    noisy_jpeg_bytes,
    sideways_photo_with_gps,
)

pytestmark = pytest.mark.django_db

PROFILE_URL = "/accounts/profile/"
SAVED = "Your profile is saved."
NOT_SAVED = "Your profile was not saved: please check the fields marked below."
UNREADABLE = "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
DAMAGED = "That file is not a picture we can read (or it is damaged). Please upload a JPEG, PNG, WebP, GIF or HEIC."


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def member_with_avatar(member):
    member.avatar.save("old.jpg", ContentFile(jpeg_bytes(size=(400, 400))))
    return member


def post_profile(client, **data):
    return client.post(
        PROFILE_URL, {"display_name": "Wendy Whiskerfan", "bio": "", **data}
    )


def stored_avatar(user) -> Image.Image:
    with user.avatar.open("rb") as file:
        data = file.read()
    return Image.open(io.BytesIO(data)), data


def test_profile_edit_needs_login(client, member):
    response = client.get(PROFILE_URL)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/profile/"

    response = client.post(PROFILE_URL, {"display_name": "Hacked", "bio": "Hacked"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    member.refresh_from_db()
    assert member.display_name == "Wendy Whiskerfan"
    assert member.bio == ""


def test_profile_edit_shows_the_current_profile(member_client, member):
    member.bio = "Two tabbies and a radiator."
    member.save()

    response = member_client.get(PROFILE_URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="display_name"' in content and 'value="Wendy Whiskerfan"' in content
    assert "Two tabbies and a radiator.</textarea>" in content
    assert 'type="file" name="avatar"' in content
    assert 'enctype="multipart/form-data"' in content
    assert 'name="remove_avatar"' in content
    assert 'href="/members/wendy/"' in content


def test_profile_edit_saves_display_name_and_bio(member_client, member):
    response = post_profile(
        member_client,
        display_name="  Wendy   the\tGreat ",
        bio="Two tabbies.\nOne radiator.",
    )

    assert response.status_code == 302
    assert response["Location"] == PROFILE_URL
    member.refresh_from_db()
    assert member.display_name == "Wendy the Great"  # spaces tidied
    assert member.bio == "Two tabbies.\nOne radiator."
    page = member_client.get(PROFILE_URL)
    assert SAVED in page.content.decode()
    assert 'value="Wendy the Great"' in page.content.decode()


def test_profile_edit_shows_errors_clearly_and_saves_nothing(member_client, member):
    response = post_profile(member_client, display_name="W" * 81, bio="B" * 1001)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["display_name"] == [
        "Ensure this value has at most 80 characters (it has 81)."
    ]
    assert form.errors["bio"] == [
        "Ensure this value has at most 1000 characters (it has 1001)."
    ]
    content = response.content.decode()
    assert NOT_SAVED in content
    assert "Ensure this value has at most 80 characters (it has 81)." in content
    assert 'id="id_display_name_errors"' in content
    assert 'aria-invalid="true"' in content and "is-invalid" in content
    member.refresh_from_db()
    assert member.display_name == "Wendy Whiskerfan"
    assert member.bio == ""


def test_rejected_profile_is_not_shown_as_the_signed_in_user(member_client, member):
    """The page reporting the errors must not already show the unsaved name as if it
    were the member's (navbar, page header): only the form field holds it."""
    response = post_profile(
        member_client,
        display_name="Unsaved Name",
        avatar=SimpleUploadedFile("cat.jpg", b"not a picture"),
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("Unsaved Name") == 1
    assert 'value="Unsaved Name"' in content
    assert "<span>Wendy Whiskerfan</span>" in content  # navbar


def test_avatar_is_stored_as_an_upright_square_jpeg_without_exif(member_client, member):
    original = sideways_photo_with_gps()
    assert CAMERA.encode() in original  # the test photo does carry EXIF

    response = post_profile(
        member_client,
        avatar=SimpleUploadedFile("IMG_0001.JPG", original, content_type="image/jpeg"),
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.avatar.name.startswith("avatars/")
    assert member.avatar.name.endswith(".jpg")
    image, data = stored_avatar(member)
    assert image.format == "JPEG"
    assert image.size == (400, 400)
    assert image.mode == "RGB"
    # No EXIF at all: no orientation, camera or GPS position.
    assert not image.getexif()
    assert "exif" not in image.info
    assert b"Exif" not in data
    assert CAMERA.encode() not in data
    # Upright: the photo viewed upright is red on top and blue below.
    red, _, blue = image.getpixel((200, 60))
    assert red > 200 and blue < 60
    red, _, blue = image.getpixel((200, 340))
    assert blue > 200 and red < 60


def test_transparent_png_avatar_becomes_a_jpeg(member_client, member):
    buffer = io.BytesIO()
    Image.new("RGBA", (800, 500), (0, 128, 0, 128)).save(buffer, format="PNG")

    response = post_profile(
        member_client, avatar=SimpleUploadedFile("cat.png", buffer.getvalue())
    )

    assert response.status_code == 302
    member.refresh_from_db()
    image, _ = stored_avatar(member)
    assert (image.format, image.size, image.mode) == ("JPEG", (400, 400), "RGB")


def svg():
    return b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><script>alert(1)</script></svg>'


def truncated(data):
    return data[: len(data) * 2 // 3]


def bmp():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "orange").save(buffer, format="BMP")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param("cat.jpg", lambda: b"Just some text.", UNREADABLE, id="text"),
        pytest.param("cat.svg", svg, UNREADABLE, id="svg"),
        pytest.param("cat.png", svg, UNREADABLE, id="svg-named-png"),
        pytest.param(
            "cat.jpg", lambda: noisy_jpeg_bytes()[:200], UNREADABLE, id="stub"
        ),
        pytest.param(
            # Header intact, picture data cut short: only decoding finds out.
            "cat.jpg",
            lambda: truncated(noisy_jpeg_bytes()),
            DAMAGED,
            id="truncated",
        ),
        pytest.param(
            "cat.bmp",
            bmp,
            "Please upload a JPEG, PNG, WebP, GIF or HEIC picture.",
            id="bmp",
        ),
    ],
)
def test_bad_avatar_files_are_refused_and_nothing_changes(
    member_client, member_with_avatar, name, content, message
):
    old_avatar = member_with_avatar.avatar.name

    response = post_profile(
        member_client,
        display_name="Not Saved Either",
        bio="Nor this.",
        avatar=SimpleUploadedFile(name, content()),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["avatar"] == [message]
    content_html = response.content.decode()
    assert NOT_SAVED in content_html
    assert 'id="id_avatar_errors"' in content_html
    member_with_avatar.refresh_from_db()
    assert member_with_avatar.display_name == "Wendy Whiskerfan"
    assert member_with_avatar.bio == ""
    assert member_with_avatar.avatar.name == old_avatar
    assert default_storage.exists(old_avatar)


def test_avatar_over_the_size_limit_is_refused(
    member_client, member_with_avatar, settings
):
    settings.AVATAR_MAX_UPLOAD_BYTES = 2048
    old_avatar = member_with_avatar.avatar.name
    data = noisy_jpeg_bytes()
    assert len(data) > 2048

    response = post_profile(
        member_client,
        display_name="Not Saved",
        avatar=SimpleUploadedFile("big.jpg", data),
    )

    assert response.status_code == 200
    (error,) = response.context["form"].errors["avatar"]
    assert error.startswith("That file is ")
    assert error.endswith("pictures can be at most 2.0\xa0KB.")
    assert NOT_SAVED in response.content.decode()
    member_with_avatar.refresh_from_db()
    assert member_with_avatar.display_name == "Wendy Whiskerfan"
    assert member_with_avatar.avatar.name == old_avatar
    assert default_storage.exists(old_avatar)


def test_avatar_with_too_many_pixels_is_refused(
    member_client, member_with_avatar, settings
):
    settings.AVATAR_MAX_PIXELS = 100 * 100
    old_avatar = member_with_avatar.avatar.name

    response = post_profile(
        member_client,
        display_name="Not Saved",
        avatar=jpeg_upload(size=(101, 100)),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["avatar"] == [
        "That picture is 101×100 pixels; pictures can have at most 0.01 megapixels."
    ]
    member_with_avatar.refresh_from_db()
    assert member_with_avatar.display_name == "Wendy Whiskerfan"
    assert member_with_avatar.avatar.name == old_avatar
    assert default_storage.exists(old_avatar)


def test_avatar_right_at_the_pixel_limit_is_accepted(member_client, member, settings):
    settings.AVATAR_MAX_PIXELS = 100 * 100

    response = post_profile(member_client, avatar=jpeg_upload(size=(100, 100)))

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.avatar


def test_replacing_the_avatar_deletes_the_old_file_after_commit(
    member_client, member_with_avatar, django_capture_on_commit_callbacks
):
    old_avatar = member_with_avatar.avatar.name

    with django_capture_on_commit_callbacks() as callbacks:
        response = post_profile(member_client, avatar=jpeg_upload())
    assert response.status_code == 302
    member_with_avatar.refresh_from_db()
    new_avatar = member_with_avatar.avatar.name
    assert new_avatar != old_avatar
    # Not before the transaction commits: a rollback must not lose the old file.
    assert default_storage.exists(old_avatar)

    for callback in callbacks:
        callback()

    assert not default_storage.exists(old_avatar)
    assert default_storage.exists(new_avatar)


def test_replacing_the_avatar_on_commit(
    member_client, member_with_avatar, django_capture_on_commit_callbacks
):
    old_avatar = member_with_avatar.avatar.name

    with django_capture_on_commit_callbacks(execute=True):
        post_profile(member_client, avatar=jpeg_upload())

    member_with_avatar.refresh_from_db()
    assert member_with_avatar.avatar.name != old_avatar
    assert not default_storage.exists(old_avatar)
    assert default_storage.exists(member_with_avatar.avatar.name)


def test_saving_without_a_new_avatar_keeps_the_old_one(
    member_client, member_with_avatar, django_capture_on_commit_callbacks
):
    old_avatar = member_with_avatar.avatar.name

    with django_capture_on_commit_callbacks(execute=True):
        response = post_profile(member_client, display_name="Wendy Again")

    assert response.status_code == 302
    member_with_avatar.refresh_from_db()
    assert member_with_avatar.display_name == "Wendy Again"
    assert member_with_avatar.avatar.name == old_avatar
    assert default_storage.exists(old_avatar)


def test_remove_avatar_clears_it_and_deletes_the_file(
    member_client, member_with_avatar, django_capture_on_commit_callbacks
):
    old_avatar = member_with_avatar.avatar.name

    with django_capture_on_commit_callbacks(execute=True):
        response = post_profile(member_client, remove_avatar="on")

    assert response.status_code == 302
    member_with_avatar.refresh_from_db()
    assert not member_with_avatar.avatar
    assert not default_storage.exists(old_avatar)
    page = member_client.get(PROFILE_URL).content.decode()
    assert "avatar-initials" in page  # initials shown instead


def test_uploading_and_removing_an_avatar_at_once_is_refused(
    member_client, member_with_avatar
):
    old_name = member_with_avatar.avatar.name
    response = post_profile(member_client, avatar=jpeg_upload(), remove_avatar="on")

    assert response.status_code == 200
    assert "Either upload a new avatar or remove the current one, not both." in (
        response.content.decode()
    )
    member_with_avatar.refresh_from_db()
    assert member_with_avatar.avatar.name == old_name
    assert default_storage.exists(old_name)
