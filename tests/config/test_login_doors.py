"""One login door: every URL that takes a password is allauth's, or refuses.

Regression for the hardening issue: Wagtail's /_util/login/ was Django's plain
LoginView (no rate limit, no email verification), and shared page passwords
were a second password form.
"""

import re

from django.contrib.auth import SESSION_KEY

from wagtail.models import Page, PageViewRestriction

import pytest

from tests.factories.accounts import PASSWORD, UserFactory
from tests.urlmap import sample_paths

pytestmark = pytest.mark.django_db

PASSWORD_INPUT = re.compile(r"<input[^>]*type=[\"']?password", re.IGNORECASE)
ALLAUTH_PASSWORD_VIEWS = ("allauth.account.views.",)


def takes_password(response) -> bool:
    return response.status_code == 200 and bool(
        PASSWORD_INPUT.search(response.content.decode(errors="replace"))
    )


def test_every_password_form_is_allauths(client, admin_user):
    paths, missed = sample_paths()
    assert len(paths) > 200 and missed < 10
    staff = type(client)()
    staff.force_login(admin_user)
    # The admin's /admin/test500/ raises on purpose; a 500 shows no form anyway.
    client.raise_request_exception = staff.raise_request_exception = False
    offenders = []
    for sample in paths:
        for who in (client, staff):
            response = who.get(sample.path)
            if takes_password(response) and not sample.view.startswith(
                ALLAUTH_PASSWORD_VIEWS
            ):
                offenders.append(f"{sample.path} ({sample.view})")
    assert offenders == []


def test_no_other_url_signs_anyone_in(client):
    """Credentials posted anywhere but allauth's login never open a session."""
    user = UserFactory(username="tibbles")
    paths, _ = sample_paths()
    for sample in paths:
        if sample.view == "allauth.account.views.LoginView":
            continue
        client.post(
            sample.path,
            {"username": user.username, "login": user.username, "password": PASSWORD},
        )
        assert SESSION_KEY not in client.session, sample.path


def test_wagtails_front_end_login_goes_to_allauth(client):
    response = client.get("/_util/login/?next=/blog/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/blog/"


def test_a_locked_account_stays_locked_at_every_door(client):
    user = UserFactory(username="tibbles")
    for _ in range(5):
        client.post("/accounts/login/", {"login": "tibbles", "password": "wrong"})
    locked = client.post("/accounts/login/", {"login": "tibbles", "password": PASSWORD})
    assert SESSION_KEY not in client.session
    assert "Too many failed login attempts" in locked.content.decode()
    # Wagtail's front-end login used to accept the right password here.
    for door in ("/_util/login/", "/admin/login/"):
        response = client.post(door, {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert SESSION_KEY not in client.session


def test_shared_page_passwords_are_off(client, admin_client, blog_index):
    page = Page.objects.get(depth=2)
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="cats"
    )
    response = client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/",
        {"password": "cats", "return_url": "/"},
    )
    assert response.status_code == 404
    # Editors are not offered a shared password in the page privacy dialog.
    privacy = admin_client.get(f"/admin/pages/{blog_index.pk}/privacy/")
    assert privacy.status_code == 200
    assert 'value="password"' not in privacy.json()["html"]
