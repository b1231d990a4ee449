"""Refuse text no database can store before any view sees it.

PostgreSQL cannot store NUL characters at all (a query with one raises), and a
lone UTF-16 surrogate cannot be encoded as UTF-8 by either database. Django's
form fields refuse NUL, but query parameters, URL paths, choice fields, cookies
and JSON reach lookups directly. This answers 400 with a clear message instead.
"""

import json
import logging
import re

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils.datastructures import MultiValueDictKeyError

logger = logging.getLogger(__name__)

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
JSON_TYPES = ("application/json", "application/merge-patch+json")


def has_unstorable(value) -> bool:
    if isinstance(value, str):
        return bool(UNSTORABLE.search(value))
    if isinstance(value, dict):
        return any(has_unstorable(k) or has_unstorable(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_unstorable(item) for item in value)
    return False


def wants_json(request) -> bool:
    return (
        request.path.startswith("/api/")
        or "application/json" in request.headers.get("Accept", "")
        or request.content_type in JSON_TYPES
    )


def _querydict_has_unstorable(querydict) -> bool:
    return any(
        has_unstorable(key) or has_unstorable(values)
        for key, values in querydict.lists()
    )


class UnstorableInputMiddleware:
    """400 for NUL or lone surrogates in the path, query, form fields, JSON body
    or cookies. File contents are not text and are left to the upload checks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = self.find(request)
        if where:
            logger.info(
                "Refused %s with an unstorable character in %s", request.path, where
            )
            if wants_json(request):
                # The API's own error format (chat/api): a sentence and a code.
                code = (
                    "bad_parameter"
                    if where in ("the address", "the query string")
                    else "bad_text"
                )
                return JsonResponse(
                    {
                        "error": "The request contains a NUL or an unpaired "
                        f"surrogate in {where}.",
                        "code": code,
                    },
                    status=400,
                )
            return HttpResponseBadRequest(
                render_to_string(
                    "400.html",
                    {
                        "reason": "The request contained a character we can't accept "
                        f"(a NUL or an unpaired surrogate) in {where}. Please remove it and try again."
                    },
                    request=request,
                )
            )
        return self.get_response(request)

    def find(self, request) -> str | None:
        if has_unstorable(request.path):
            return "the address"
        if _querydict_has_unstorable(request.GET):
            return "the query string"
        if any(has_unstorable(v) for v in request.COOKIES.values()):
            return "a cookie"
        if request.method in ("POST", "PUT", "PATCH"):
            content_type = request.content_type or ""
            if content_type in JSON_TYPES:
                try:
                    body = json.loads(request.body or b"null")
                except (ValueError, UnicodeDecodeError):
                    return None  # the view reports malformed JSON itself
                if has_unstorable(body):
                    return "the JSON body"
            elif content_type in FORM_TYPES:
                if content_type == "application/x-www-form-urlencoded":
                    # Read the body first, so a view may still read request.body.
                    request.body  # noqa: B018
                if _querydict_has_unstorable(request.POST):
                    return "a form field"
        return None


BAD_NUMBER = re.compile(r"invalid literal for int\(\)|expected a number but got")


class AdminBadValueMiddleware:
    """A 400, not a 500, when a crafted request trips the admin's form handling.

    Some Wagtail 8 admin views turn a submitted or routed id into an int without
    validating it first (a chooser re-rendering a form with "a\\"b" as a page id,
    /admin/images/chooser/chosen/<not a number>/), and the StreamField widget reads
    its "<name>-count" field without checking it was sent. Those errors are
    answered 400 and logged with their traceback, so the bug stays visible.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not request.path.startswith(settings.CSP_ADMIN_PATH_PREFIX):
            return None
        if isinstance(exception, ValueError) and BAD_NUMBER.search(str(exception)):
            reason = "A number was expected and something else was sent."
        elif isinstance(exception, MultiValueDictKeyError):
            reason = "A field the form needs was missing from the request."
        else:
            return None
        logger.warning("Crafted input to %s answered 400", request.path, exc_info=True)
        return HttpResponseBadRequest(
            render_to_string("400.html", {"reason": reason}, request=request)
        )
