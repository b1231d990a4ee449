"""Views that belong to the deployment rather than to a feature: /healthz/ and
/csp-report/."""

import json
import logging
import time

from django.core.cache import cache
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.health import database_problem, queue_health, redis_problem
from core.client_ip import client_ip

logger = logging.getLogger("whiskers.csp")


@never_cache
def healthz(request):
    """For load balancers: 200 when the database and Redis answer, else 503.

    The task queue is reported too, without failing the check: a stopped worker
    delays background work but every web process can still serve, so taking
    them out of the load balancer would only make it worse. "status" is then
    "degraded"; /healthz/tasks/ is the check that fails (503) for it.
    """
    problems = [
        problem
        for problem in (database_problem(), redis_problem(timeout=1.0))
        if problem
    ]
    if problems:
        return JsonResponse({"status": "error"}, status=503)
    queue = queue_health()
    return JsonResponse(
        {"status": "degraded" if queue.problem else "ok", "tasks": queue.as_dict()}
    )


@never_cache
def healthz_tasks(request):
    """For monitoring the background worker: 503 when tasks wait longer than
    TASKS_MAX_WAIT_SECONDS (or, on RQ, no worker has been seen), with the reason."""
    queue = queue_health()
    body = {"status": "error" if queue.problem else "ok", "tasks": queue.as_dict()}
    if queue.problem:
        body["problem"] = queue.problem
    return JsonResponse(body, status=503 if queue.problem else 200)


CSP_REPORT_MAX_BYTES = 16 * 1024
CSP_REPORTS_PER_MINUTE = 60
CSP_REPORT_TYPES = ("application/csp-report", "application/json")


@csrf_exempt
@require_POST
def csp_report(request):
    """Browsers POST Content-Security-Policy violations here (report-uri); they are
    logged, at most CSP_REPORTS_PER_MINUTE a minute per client, and never stored."""
    if request.content_type not in CSP_REPORT_TYPES:
        return HttpResponse(status=415)
    if int(request.META.get("CONTENT_LENGTH") or 0) > CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    key = f"csp-report:{client_ip(request)}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    if cache.incr(key) > CSP_REPORTS_PER_MINUTE:
        return HttpResponse(status=204)
    try:
        report = json.loads(request.body or b"{}").get("csp-report", {})
    except (ValueError, AttributeError):
        return HttpResponse(status=400)
    if isinstance(report, dict):
        logger.warning(
            "CSP violation: %s blocked %s on %s",
            str(report.get("violated-directive") or report.get("effective-directive"))[
                :200
            ],
            str(report.get("blocked-uri"))[:300],
            str(report.get("document-uri"))[:300],
        )
    return HttpResponse(status=204)


def page_passwords_off(request, restriction_id, page_id):
    """Wagtail's shared page passwords would be a second, unlimited login form:
    they are switched off (WAGTAIL_PRIVATE_PAGE_OPTIONS) and this answers 404."""
    raise Http404("Page passwords are switched off on this site.")
