import re

from django.conf import settings
from django.core import mail

import pytest

from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"
WRONG = "The username and/or password you specified are not correct."
TOO_MANY = "Too many failed login attempts. Try again later."


def failed_logins_allowed_per_account() -> int:
    """The per-account ("key") part of ACCOUNT_RATE_LIMITS["login_failed"]."""
    rates = settings.ACCOUNT_RATE_LIMITS["login_failed"].split(",")
    (per_key,) = [rate for rate in rates if rate.endswith("/key")]
    return int(per_key.split("/")[0])


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def log_in(client, login, password=PASSWORD, **extra):
    return client.post(LOGIN_URL, {"login": login, "password": password, **extra})


def test_login_page_offers_username_or_email(client):
    response = client.get(LOGIN_URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="login"' in content and 'name="password"' in content
    assert "Username or email" in content


def test_login_by_username(client, member):
    response = log_in(client, "wendy")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_user_id(client) == str(member.pk)


def test_login_by_email_ignores_case(client, member):
    response = log_in(client, "Wendy@Example.COM")

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(member.pk)


def test_wrong_password_is_refused_with_a_clear_error(client, member):
    response = log_in(client, "wendy", "not my password")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [WRONG]
    assert WRONG in response.content.decode()
    assert logged_in_user_id(client) is None


def test_inactive_user_cannot_log_in(client, member):
    member.is_active = False
    member.save()

    response = log_in(client, "wendy")

    assert logged_in_user_id(client) is None
    assert response.status_code == 302
    assert response["Location"] == "/accounts/inactive/"


def test_login_follows_a_local_next_but_not_another_site(client, member, other_member):
    response = log_in(client, "wendy", next="/gallery/")
    assert response["Location"] == "/gallery/"

    response = log_in(client, "percy", next="https://evil.example/steal")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_logout_needs_a_post(client, member):
    client.force_login(member)

    page = client.get("/accounts/logout/")
    assert page.status_code == 200
    assert '<form method="post" action="/accounts/logout/"' in page.content.decode()
    assert logged_in_user_id(client) == str(member.pk)

    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_user_id(client) is None


def test_admin_login_redirects_to_the_site_login_keeping_next(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_admin_sends_anonymous_visitors_to_the_site_login(client):
    response = client.get("/admin/pages/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/pages/"


def test_editor_logging_in_from_the_admin_lands_in_the_admin(client, editor):
    page = client.get("/accounts/login/?next=/admin/")
    assert re.search(
        r'<input type="hidden" name="next" value="/admin/"', page.content.decode()
    )

    response = log_in(client, "ed", next="/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert "wagtailadmin/home.html" in [t.name for t in dashboard.templates]


def test_failed_logins_lock_the_account_even_for_the_right_password(
    client, member, other_member
):
    allowed = failed_logins_allowed_per_account()
    for _ in range(allowed):
        response = log_in(client, "wendy", "guess")
        assert response.context["form"].non_field_errors() == [WRONG]

    response = log_in(client, "wendy")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [TOO_MANY]
    assert TOO_MANY in response.content.decode()
    assert logged_in_user_id(client) is None

    # The same account by its email address is locked too ...
    response = log_in(client, "wendy@example.com")
    assert response.context["form"].non_field_errors() == [TOO_MANY]
    assert logged_in_user_id(client) is None

    # ... but another account, from the same address, is not.
    response = log_in(client, "percy")
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(other_member.pk)


def test_failures_by_email_and_username_count_towards_one_account(client, member):
    allowed = failed_logins_allowed_per_account()
    for attempt in range(allowed):
        login = "wendy" if attempt % 2 else "wendy@example.com"
        (error,) = log_in(client, login, "guess").context["form"].non_field_errors()
        assert error.endswith("and/or password you specified are not correct.")

    response = log_in(client, "wendy")

    assert response.context["form"].non_field_errors() == [TOO_MANY]
    assert logged_in_user_id(client) is None


def test_the_right_password_still_works_just_below_the_limit(client, member):
    for _ in range(failed_logins_allowed_per_account() - 1):
        log_in(client, "wendy", "guess")

    response = log_in(client, "wendy")

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(member.pk)


def reset_password(client, email, new_password):
    """Ask for a reset link, follow it and set ``new_password``; return the link."""
    response = client.post("/accounts/password/reset/", {"email": email})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [email]
    assert message.subject.startswith("[Whiskers] ")
    match = re.search(
        r"http://testserver(/accounts/password/reset/key/[^/\s]+/)", message.body
    )
    assert match, message.body
    link = match.group(1)

    # allauth moves the key from the URL into the session, then shows the form.
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert not form_page.context.get("token_fail")
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"password1": new_password, "password2": new_password}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/key/done/"
    return link


def test_password_reset_link_sets_a_new_password(client, member):
    new_password = "a whole new litter tray"

    link = reset_password(client, "wendy@example.com", new_password)

    member.refresh_from_db()
    assert member.check_password(new_password)
    assert not member.check_password(PASSWORD)
    client.logout()
    assert log_in(client, "wendy", PASSWORD).status_code == 200
    assert logged_in_user_id(client) is None
    assert log_in(client, "wendy", new_password).status_code == 302
    assert logged_in_user_id(client) == str(member.pk)

    # The link works once only.
    client.logout()
    assert client.get(link, follow=True).context["token_fail"]


def test_password_reset_lifts_the_failed_login_lock(client, member):
    for _ in range(failed_logins_allowed_per_account()):
        log_in(client, "wendy", "guess")
    assert log_in(client, "wendy").context["form"].non_field_errors() == [TOO_MANY]

    reset_password(client, "wendy@example.com", "a whole new litter tray")
    client.logout()

    response = log_in(client, "wendy", "a whole new litter tray")
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(member.pk)
