"""503 with Retry-After when a process has no image-decoding slot free."""

import logging

from django.http import JsonResponse
from django.template.response import TemplateResponse

from core.images import ImagesBusy

logger = logging.getLogger(__name__)


class ImagesBusyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ImagesBusy):
            return None
        logger.warning("No image decoding slot free for %s: answered 503", request.path)
        message = "We are processing many pictures right now. Please try again in a few seconds."
        if request.headers.get("HX-Request") or "json" in request.headers.get(
            "Accept", ""
        ):
            response = JsonResponse({"error": message}, status=503)
        else:
            response = TemplateResponse(
                request, "503.html", {"reason": message}, status=503
            )
            response.render()
        response["Retry-After"] = str(ImagesBusy.retry_after)
        return response
