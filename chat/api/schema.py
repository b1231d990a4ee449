"""OpenAPI schema hooks (drf-spectacular's PREPROCESSING_HOOKS)."""


def public_api_only(endpoints):
    """Only /api/: Wagtail's admin API (/admin/api/) is the admin's own, not ours
    to document, and it can't be introspected without a request."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]
