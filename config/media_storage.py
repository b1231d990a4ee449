"""Where uploaded media (photos, renditions, avatars, documents) are stored.

MEDIA_STORAGE=local (the default): files under MEDIA_ROOT, served from MEDIA_URL.
MEDIA_STORAGE=s3: an S3-compatible bucket through django-storages, so web processes
and workers on several machines share originals and renditions. The bucket's
public origin joins the Content-Security-Policy's img-src and media-src.
"""

import os
from collections.abc import Mapping
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_str

S3_BACKEND = "storages.backends.s3.S3Storage"


def s3_options(environ: Mapping[str, str] = os.environ) -> dict:
    """django-storages' S3Storage options from the AWS_* variables."""
    bucket = env_str("AWS_STORAGE_BUCKET_NAME", environ=environ)
    if not bucket:
        raise ImproperlyConfigured(
            "MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME (and usually "
            "AWS_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)."
        )
    endpoint = env_str("AWS_S3_ENDPOINT_URL", environ=environ)
    if endpoint and not urlsplit(endpoint).netloc:
        raise ImproperlyConfigured(
            f"AWS_S3_ENDPOINT_URL must be a URL such as https://s3.example.com, got {endpoint!r}."
        )
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint or None,
        "access_key": env_str("AWS_ACCESS_KEY_ID", environ=environ) or None,
        "secret_key": env_str("AWS_SECRET_ACCESS_KEY", environ=environ) or None,
        "region_name": env_str("AWS_S3_REGION_NAME", environ=environ) or None,
        "custom_domain": env_str("AWS_S3_CUSTOM_DOMAIN", environ=environ) or None,
        # Photos are public: plain URLs that browsers can cache (signed ones change
        # on every page view). Set AWS_QUERYSTRING_AUTH=true for a private bucket.
        "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False, environ),
        "default_acl": env_str("AWS_DEFAULT_ACL", environ=environ) or None,
        "file_overwrite": False,
        "addressing_style": env_str(
            "AWS_S3_ADDRESSING_STYLE", "path" if endpoint else "auto", environ
        ),
        "object_parameters": {"CacheControl": "public, max-age=31536000"},
    }
    return options


def public_origins(options: dict) -> list[str]:
    """The origins browsers fetch media from, for img-src and media-src."""
    if options.get("custom_domain"):
        domain = options["custom_domain"]
        return [domain if "://" in domain else f"https://{domain}"]
    endpoint = options.get("endpoint_url")
    if endpoint:
        parts = urlsplit(endpoint)
        origin = f"{parts.scheme}://{parts.netloc}"
        if options.get("addressing_style") == "virtual":
            return [f"{parts.scheme}://{options['bucket_name']}.{parts.netloc}"]
        return [origin]
    region = options.get("region_name")
    bucket = options["bucket_name"]
    origins = [f"https://{bucket}.s3.amazonaws.com"]
    if region:
        origins.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    return origins


def media_storage(environ: Mapping[str, str] = os.environ) -> tuple[dict, list[str]]:
    """(the STORAGES["default"] entry, the origins to add to the CSP)."""
    kind = env_str("MEDIA_STORAGE", "local", environ).lower()
    if kind == "local":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}, []
    if kind == "s3":
        options = s3_options(environ)
        return {"BACKEND": S3_BACKEND, "OPTIONS": options}, public_origins(options)
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be local or s3, got {kind!r}.")
