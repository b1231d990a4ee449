"""Shared helpers for the gallery tests: pictures built in the test, uploads,
and what is left on disk."""

import io
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from PIL import Image


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "s3: needs an S3-compatible server at AWS_S3_ENDPOINT_URL (.ci/run starts moto)",
    )


def image_bytes(fmt="JPEG", size=(120, 80), color="orange", **options) -> bytes:
    buffer = io.BytesIO()
    mode = "RGBA" if fmt == "PNG" and options.pop("alpha", False) else "RGB"
    Image.new(mode, size, color).save(buffer, format=fmt, **options)
    return buffer.getvalue()


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def media_files() -> set[str]:
    """Every file under MEDIA_ROOT (originals and renditions), relative."""
    root = Path(settings.MEDIA_ROOT)
    return {
        str(path.relative_to(root))
        for folder in ("original_images", "images")
        for path in (root / folder).rglob("*")
        if path.is_file()
    }


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run on_commit callbacks (labelling, file deletion) as a real commit would."""

    def runner():
        return django_capture_on_commit_callbacks(execute=True)

    return runner
