import re

from django.core import mail

import pytest
from allauth.account.models import EmailAddress

from accounts.models import MEMBERS_GROUP, User

pytestmark = pytest.mark.django_db

SIGNUP_URL = "/accounts/signup/"
GOOD_PASSWORD = "tabby-naps-on-the-radiator"


def signup_data(**overrides):
    return {
        "email": "tom@example.com",
        "username": "tom",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        **overrides,
    }


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def confirmation_link(message) -> str:
    match = re.search(
        r"http://testserver(/accounts/confirm-email/[^/\s]+/)", message.body
    )
    assert match, message.body
    return match.group(1)


def test_signup_page_renders_the_form_with_a_hidden_honeypot(client):
    response = client.get(SIGNUP_URL)
    content = response.content.decode()
    assert response.status_code == 200
    for name in ["email", "username", "password1", "password2"]:
        assert f'name="{name}"' in content
    # The honeypot is in the form but hidden from people and screen readers.
    assert re.search(
        r'<div class="visually-hidden" aria-hidden="true"><input[^>]*name="website"[^>]*tabindex="-1"',
        content,
    )


def test_signup_creates_an_active_member_and_logs_them_in(client):
    response = client.post(SIGNUP_URL, signup_data())

    assert response.status_code == 302
    user = User.objects.get(username="tom")
    assert user.is_active
    assert user.email == "tom@example.com"
    assert user.check_password(GOOD_PASSWORD)
    assert [group.name for group in user.groups.all()] == [MEMBERS_GROUP]
    assert not user.is_staff and not user.is_superuser
    assert not user.has_perm("wagtailadmin.access_admin")
    assert logged_in_user_id(client) == str(user.pk)


def test_signup_sends_a_verification_email(client):
    client.post(SIGNUP_URL, signup_data())

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["tom@example.com"]
    assert message.subject.startswith("[Whiskers] ")
    assert "confirm" in message.subject.lower()
    confirmation_link(message)
    address = EmailAddress.objects.get(email="tom@example.com")
    assert address.user.username == "tom"
    assert address.primary and not address.verified


def test_mandatory_verification_signup_does_not_log_in(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"

    response = client.post(SIGNUP_URL, signup_data())

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert logged_in_user_id(client) is None
    assert User.objects.get(username="tom").is_active
    assert len(mail.outbox) == 1


def test_mandatory_verification_login_before_confirming_is_held_back(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    client.post(SIGNUP_URL, signup_data())
    client.logout()

    response = client.post(
        "/accounts/login/", {"login": "tom", "password": GOOD_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert logged_in_user_id(client) is None


def test_mandatory_verification_link_verifies_and_logs_in(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    client.post(SIGNUP_URL, signup_data())
    link = confirmation_link(mail.outbox[0])

    page = client.get(link)
    assert page.status_code == 200
    assert "tom@example.com" in page.content.decode()
    assert not EmailAddress.objects.get(email="tom@example.com").verified
    assert logged_in_user_id(client) is None  # a GET changes nothing

    response = client.post(link)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="tom@example.com").verified
    assert logged_in_user_id(client) == str(User.objects.get(username="tom").pk)


def test_a_made_up_confirmation_link_verifies_nothing(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    client.post(SIGNUP_URL, signup_data())
    link = confirmation_link(mail.outbox[0])

    response = client.post(link[:-3] + "xx/")

    assert response.status_code == 404
    assert not EmailAddress.objects.get(email="tom@example.com").verified
    assert logged_in_user_id(client) is None


def test_filled_honeypot_creates_no_user_and_sends_no_email(client):
    response = client.post(SIGNUP_URL, signup_data(website="https://spam.example"))

    # A bot is told all went well, but nothing happened.
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert not User.objects.filter(username="tom").exists()
    assert not EmailAddress.objects.exists()
    assert mail.outbox == []
    assert logged_in_user_id(client) is None


def test_duplicate_email_is_refused_with_a_clear_error(client, member):
    response = client.post(
        SIGNUP_URL, signup_data(email=member.email.upper(), username="copycat")
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["email"] == ["A user is already registered with this email address."]
    assert "A user is already registered with this email address." in (
        response.content.decode()
    )
    assert not User.objects.filter(username="copycat").exists()


def test_duplicate_username_is_refused_with_a_clear_error(client, member):
    response = client.post(SIGNUP_URL, signup_data(username=member.username))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["username"] == ["A user with that username already exists."]
    content = response.content.decode()
    assert "A user with that username already exists." in content
    assert not User.objects.filter(email="tom@example.com").exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("password", "This password is too common."),
        ("tabby", "This password is too short. It must contain at least 8 characters."),
        ("4815162342", "This password is entirely numeric."),
        ("tom@example.com", "The password is too similar to the"),
    ],
)
def test_weak_passwords_are_refused_with_a_clear_error(client, password, message):
    response = client.post(
        SIGNUP_URL, signup_data(password1=password, password2=password)
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(error.startswith(message) for error in errors["password1"]), errors
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_mismatched_passwords_are_refused_with_a_clear_error(client):
    response = client.post(
        SIGNUP_URL, signup_data(password2="tabby-naps-on-the-windowsill")
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["password2"] == ["You must type the same password each time."]
    content = response.content.decode()
    assert "You must type the same password each time." in content
    assert 'aria-invalid="true"' in content
    assert not User.objects.exists()
    assert logged_in_user_id(client) is None
