from django.core import checks

from config.health import database_problem, redis_problem


@checks.register(checks.Tags.database)
def check_database(app_configs=None, databases=None, **kwargs):
    """Runs with `migrate` and `check --database default`."""
    if not databases or "default" not in databases:
        return []
    problem = database_problem()
    return (
        [checks.Error(problem, hint="Check DATABASE_URL.", id="whiskers.E001")]
        if problem
        else []
    )


@checks.register("services")
def check_redis(app_configs=None, **kwargs):
    problem = redis_problem()
    return (
        [
            checks.Error(
                problem,
                hint="Check REDIS_URL, or unset it to use the embedded defaults.",
                id="whiskers.E002",
            )
        ]
        if problem
        else []
    )
