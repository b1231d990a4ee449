from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from home.demo import content
from home.services import database_problem, redis_problem


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


def credits(request):
    """Credit lines for the demo photos, as their licences ask."""
    return render(
        request,
        "home/credits.html",
        {"photos": [*content.PHOTOS, *content.BLOG_IMAGES]},
    )
