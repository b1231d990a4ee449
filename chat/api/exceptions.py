"""Every API error is JSON of one shape: {"error": "<a sentence>", "code": "<code>"}."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from chat.services import ChatError

# HTTP status for each ChatError code (chat.services); anything else is 400.
STATUS_FOR_CODE = {
    "not_found": status.HTTP_404_NOT_FOUND,
    "login_required": status.HTTP_401_UNAUTHORIZED,
    "not_authenticated": status.HTTP_401_UNAUTHORIZED,
    "forbidden": status.HTTP_403_FORBIDDEN,
    "archived": status.HTTP_403_FORBIDDEN,
    "muted": status.HTTP_403_FORBIDDEN,
    "own_message": status.HTTP_403_FORBIDDEN,
    "deleted": status.HTTP_410_GONE,
    "already_reported": status.HTTP_409_CONFLICT,
    "idempotency_conflict": status.HTTP_409_CONFLICT,
    "rate_limited": status.HTTP_429_TOO_MANY_REQUESTS,
}


def _first_message(detail) -> tuple[str, str]:
    """The first (message, code) of a DRF error detail (a string, list or dict)."""
    if isinstance(detail, dict):
        field, value = next(iter(detail.items()))
        message, code = _first_message(value)
        return (message if field == "non_field_errors" else f"{field}: {message}"), code
    if isinstance(detail, list):
        return _first_message(detail[0]) if detail else ("Invalid request.", "invalid")
    return str(detail), getattr(detail, "code", None) or "invalid"


def error_response(error: ChatError) -> Response:
    response = Response(
        {"error": error.reason, "code": error.code},
        status=STATUS_FOR_CODE.get(error.code, status.HTTP_400_BAD_REQUEST),
    )
    if error.retry_after:
        response["Retry-After"] = str(error.retry_after)
    if response.status_code == status.HTTP_401_UNAUTHORIZED:
        response["WWW-Authenticate"] = "Token"
    return response


def exception_handler(exc, context):
    """DRF's exceptions, Django's 404/403 and ChatError as {"error", "code"}."""
    if isinstance(exc, ChatError):
        set_rollback()
        return error_response(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # a bug: Django's 500 handling and logging
    message, code = _first_message(exc.detail)
    response = Response({"error": message, "code": code}, status=exc.status_code)
    if getattr(exc, "auth_header", None):
        response["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None) is not None:
        response["Retry-After"] = str(int(exc.wait))
    set_rollback()
    return response
