"""Views that belong to the deployment rather than to a feature: /healthz/."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from config.health import database_problem, redis_problem


@never_cache
def healthz(request):
    """For load balancers: 200 when the database and Redis answer, else 503."""
    problems = [
        problem
        for problem in (database_problem(), redis_problem(timeout=1.0))
        if problem
    ]
    status = 503 if problems else 200
    return JsonResponse({"status": "error" if problems else "ok"}, status=status)
