"""Media on S3-compatible object storage (MEDIA_STORAGE=s3): the settings, and a
photo and its rendition really stored in a bucket and read back.

The bucket tests need AWS_S3_ENDPOINT_URL and AWS_STORAGE_BUCKET_NAME; .ci/run
starts a local moto server for them in its PostgreSQL + Redis pass."""

import io
import os
import urllib.request

from django.core.exceptions import ImproperlyConfigured
from django.test import Client

import pytest
from PIL import Image

from config.media_storage import S3_BACKEND, media_storage, public_origins, s3_options
from gallery.models import GalleryImage
from tests.gallery.conftest import image_bytes, upload

NO_S3 = (
    "set AWS_S3_ENDPOINT_URL and AWS_STORAGE_BUCKET_NAME to an S3-compatible server "
    "to run the S3 media tests (.ci/run starts a local moto server for them)"
)
HAVE_S3 = bool(
    os.environ.get("AWS_S3_ENDPOINT_URL") and os.environ.get("AWS_STORAGE_BUCKET_NAME")
)


def test_local_files_are_the_default():
    assert media_storage({}) == (
        {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        [],
    )


def test_s3_settings_and_the_origins_for_the_csp():
    env = {
        "MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": "cats",
        "AWS_S3_ENDPOINT_URL": "https://objects.example.net:9000",
        "AWS_ACCESS_KEY_ID": "key",
        "AWS_SECRET_ACCESS_KEY": "secret",
    }
    storage, origins = media_storage(env)
    assert storage["BACKEND"] == S3_BACKEND
    assert storage["OPTIONS"]["bucket_name"] == "cats"
    assert storage["OPTIONS"]["addressing_style"] == "path"
    assert storage["OPTIONS"]["querystring_auth"] is False
    assert origins == ["https://objects.example.net:9000"]
    assert public_origins(
        s3_options({**env, "AWS_S3_CUSTOM_DOMAIN": "media.example.org"})
    ) == ["https://media.example.org"]
    aws = s3_options(
        {"AWS_STORAGE_BUCKET_NAME": "cats", "AWS_S3_REGION_NAME": "eu-west-1"}
    )
    assert public_origins(aws) == [
        "https://cats.s3.amazonaws.com",
        "https://cats.s3.eu-west-1.amazonaws.com",
    ]


@pytest.mark.parametrize(
    "env",
    [
        {"MEDIA_STORAGE": "s3"},
        {
            "MEDIA_STORAGE": "s3",
            "AWS_STORAGE_BUCKET_NAME": "x",
            "AWS_S3_ENDPOINT_URL": "not a url",
        },
        {"MEDIA_STORAGE": "ftp"},
    ],
)
def test_bad_storage_settings_name_the_variable(env):
    with pytest.raises(ImproperlyConfigured, match="MEDIA_STORAGE|AWS_"):
        media_storage(env)


def test_the_settings_add_the_bucket_to_img_src(tmp_path):
    from tests.processes import run_python

    script = (
        "from django.conf import settings; print(settings.CSP_DIRECTIVES['img-src'])"
    )
    result = run_python(
        "-c",
        f"import django; django.setup(); {script}",
        DJANGO_SETTINGS_MODULE="config.settings.test",
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="cats",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9",
    )
    assert result.returncode == 0, result.stderr
    assert "http://127.0.0.1:9" in result.stdout


@pytest.fixture
def bucket(settings):
    import boto3

    options = s3_options(os.environ)
    client = boto3.client(
        "s3",
        endpoint_url=options["endpoint_url"],
        aws_access_key_id=options["access_key"],
        aws_secret_access_key=options["secret_key"],
        region_name=options["region_name"] or "us-east-1",
    )
    existing = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
    if options["bucket_name"] not in existing:
        client.create_bucket(Bucket=options["bucket_name"])
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": S3_BACKEND, "OPTIONS": options},
    }
    return client, options


@pytest.mark.s3
@pytest.mark.skipif(not HAVE_S3, reason=NO_S3)
@pytest.mark.django_db
def test_a_photo_and_its_rendition_live_in_the_bucket(
    bucket, member, django_capture_on_commit_callbacks
):
    s3, options = bucket
    client = Client()
    client.force_login(member)

    response = client.post(
        "/gallery/upload/",
        {"photos": upload(image_bytes(size=(800, 600)), "garden.jpg"), "tags": "s3"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 201, response.content
    photo = GalleryImage.objects.get(pk=response.json()["id"])
    assert (
        s3.head_object(Bucket=options["bucket_name"], Key=photo.file.name)[
            "ContentLength"
        ]
        > 0
    )

    rendition = photo.get_rendition("fill-480x480")
    assert rendition.url.startswith(
        f"{options['endpoint_url']}/{options['bucket_name']}/"
    )
    body = s3.get_object(Bucket=options["bucket_name"], Key=rendition.file.name)[
        "Body"
    ].read()
    with Image.open(io.BytesIO(body)) as image:
        assert image.size == (480, 480)
    if options.get("default_acl") == "public-read":  # as a browser reads it
        with urllib.request.urlopen(rendition.url, timeout=10) as answer:  # noqa: S310 - our local test server
            assert answer.read() == body

    # The feed links the rendition in the bucket.
    assert options["bucket_name"] in Client().get("/gallery/").content.decode()

    # Deleting the photo deletes its files from the bucket.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/gallery/photos/{photo.pk}/delete/")
    keys = {
        item["Key"]
        for item in s3.list_objects_v2(Bucket=options["bucket_name"]).get(
            "Contents", []
        )
    }
    assert photo.file.name not in keys and rendition.file.name not in keys
