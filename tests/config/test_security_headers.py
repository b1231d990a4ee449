"""Content-Security-Policy and Permissions-Policy on every response."""

import json
import logging

import pytest

from tests.processes import run_python

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, str]:
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
        for part in header.split(";")
        if part.strip()
    }


@pytest.mark.parametrize("path", ["/", "/gallery/", "/accounts/login/", "/nowhere/"])
def test_public_pages_get_the_strict_policy(client, path):
    response = client.get(path)
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'self'"
    assert policy["base-uri"] == "'self'"
    assert "unsafe" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_the_admin_gets_its_own_policy(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == "'self' 'unsafe-inline'"
    assert policy["object-src"] == "'none'"
    assert policy["connect-src"] == "'self'"


def test_no_inline_scripts_or_style_attributes_in_our_templates():
    from django.conf import settings

    offenders = []
    for template in (settings.BASE_DIR / "templates").rglob("*.html"):
        text = template.read_text()
        for marker in (' style="', " onclick=", " onload=", " hx-on", "javascript:"):
            if marker in text:
                offenders.append(f"{template.name}: {marker.strip()}")
        for chunk in text.split("<script")[1:]:
            opening = chunk.split(">", 1)[0]
            if "src=" not in opening and 'type="application/json"' not in opening:
                offenders.append(f"{template.name}: inline <script>")
    assert offenders == []


def test_report_only_mode_is_a_setting():
    code = (
        "import django, os; django.setup();"
        "from django.conf import settings as s;"
        "print(s.CONTENT_SECURITY_POLICY is None,"
        " s.CONTENT_SECURITY_POLICY_REPORT_ONLY['DIRECTIVES']['script-src'])"
    )
    result = run_python(
        "-c",
        code,
        DJANGO_SETTINGS_MODULE="config.settings.test",
        CSP_REPORT_ONLY="true",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "[\"'self'\"]"]


def test_report_only_headers_keep_the_admin_policy(client, admin_client, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    public = client.get("/")
    admin = admin_client.get("/admin/")
    assert "Content-Security-Policy" not in public
    assert "unsafe-inline" not in public["Content-Security-Policy-Report-Only"]
    assert "Content-Security-Policy" not in admin
    assert "'unsafe-inline'" in admin["Content-Security-Policy-Report-Only"]


def test_violation_reports_are_logged(client, caplog):
    report = {
        "csp-report": {
            "document-uri": "http://testserver/gallery/",
            "violated-directive": "script-src-elem",
            "blocked-uri": "inline",
        }
    }
    with caplog.at_level(logging.WARNING, logger="whiskers.csp"):
        response = client.post(
            "/csp-report/", json.dumps(report), content_type="application/csp-report"
        )
    assert response.status_code == 204
    assert "script-src-elem blocked inline on http://testserver/gallery/" in caplog.text


def test_violation_reports_are_bounded(client):
    assert (
        client.post(
            "/csp-report/", "x" * 20_000, content_type="application/json"
        ).status_code
        == 413
    )
    assert (
        client.post(
            "/csp-report/", "not json", content_type="application/json"
        ).status_code
        == 400
    )
    assert client.get("/csp-report/").status_code == 405


def test_a_form_encoded_post_to_a_view_reading_the_body_is_not_a_500(client):
    client.raise_request_exception = False
    assert client.post("/csp-report/", {"csp-report": "x"}).status_code == 415
    response = client.post(
        "/csp-report/", "csp-report=x", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
