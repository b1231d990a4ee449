"""/healthz/ and the service probes behind it (config/health.py)."""

import os

from django.db import connections
from django.db.utils import OperationalError

import pytest

from config.health import database_problem, redis_problem

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = "redis://:s3cret@127.0.0.1:1/0"


def test_healthz_is_ok(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_fails_when_redis_does_not_answer(client, settings):
    settings.REDIS_URL = UNREACHABLE_REDIS
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json() == {"status": "error"}
    content = response.content.decode()
    assert "127.0.0.1" not in content
    assert "s3cret" not in content


def test_healthz_fails_when_the_database_does_not_answer(client, monkeypatch):
    def refuse():
        raise OperationalError("connection to server at db.internal failed")

    monkeypatch.setattr(connections["default"], "ensure_connection", refuse)
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json() == {"status": "error"}
    assert b"db.internal" not in response.content


def test_database_problem_is_none_when_the_database_answers():
    assert database_problem() is None


def test_database_problem_names_database_url(monkeypatch):
    def refuse():
        raise OperationalError("connection refused\nDETAIL: more lines")

    monkeypatch.setattr(connections["default"], "ensure_connection", refuse)
    problem = database_problem()
    assert problem.startswith("Cannot connect to the database set by DATABASE_URL")
    assert problem.endswith(": connection refused")


def test_redis_problem_is_none_without_redis(settings):
    settings.REDIS_URL = ""
    assert redis_problem() is None


def test_redis_problem_names_redis_url_without_the_password(settings):
    settings.REDIS_URL = UNREACHABLE_REDIS
    problem = redis_problem(timeout=1.0)
    assert problem.startswith(
        "Cannot reach Redis at REDIS_URL (redis://:***@127.0.0.1:1/0)"
    )
    assert "s3cret" not in problem


@pytest.mark.redis
@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="needs REDIS_URL (the PostgreSQL + Redis pass of .ci/run sets it)",
)
def test_healthz_is_ok_with_a_live_redis(client, settings):
    settings.REDIS_URL = os.environ["REDIS_URL"]
    assert redis_problem() is None
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
