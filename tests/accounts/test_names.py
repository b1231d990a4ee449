"""Usernames that can't pass for someone else's; display names that read as typed.

Regression for the hardening issue: fullwidth "ａｄｍｉｎ" was accepted at sign-up.
"""

import pytest

from accounts.models import User
from accounts.names import clean_display_name, username_skeleton
from tests.factories.accounts import UserFactory

SIGNUP_URL = "/accounts/signup/"
PASSWORD = "tabby-naps-on-the-radiator"


def sign_up(client, username, email="new@example.com"):
    return client.post(
        SIGNUP_URL,
        {
            "email": email,
            "username": username,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


def form_errors(response) -> list[str]:
    return response.context["form"].errors.get("username", [])


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("admin", "ADMIN"),
        ("admin", "ａｄｍｉｎ"),
        ("wendy", "wendy_"),
        ("wendy", "w.endy"),
        ("admin", "adrnin"),
        ("paypal", "paypa1"),
        ("bill", "biII"),
        ("boo", "b00"),
    ],
)
def test_lookalikes_share_a_skeleton(a, b):
    assert username_skeleton(a) == username_skeleton(b)


@pytest.mark.parametrize(("a", "b"), [("wendy", "wanda"), ("percy", "perry")])
def test_different_names_have_different_skeletons(a, b):
    assert username_skeleton(a) != username_skeleton(b)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "lookalike", ["ｗｅｎｄｙ", "Wendy", "wendy_", "w-endy", "WENDY.", "vvendy"]
)
def test_signup_refuses_a_lookalike_of_an_existing_member(client, lookalike):
    UserFactory(username="wendy")
    response = sign_up(client, lookalike)
    assert response.status_code == 200
    assert form_errors(response)
    assert User.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["ａｄｍｉｎ", "Adm1n", "moderat0r", "r00t"])
def test_signup_refuses_reserved_names_and_their_lookalikes(client, username):
    response = sign_up(client, username)
    assert form_errors(response)
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username", ["аdmin_cyrillic", "wéndy", "tom cat", "x\u202etom"]
)
def test_signup_refuses_non_ascii_usernames_with_a_clear_message(client, username):
    response = sign_up(client, username)
    assert any("English letters, digits" in error for error in form_errors(response))
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signup_stores_the_nfkc_form(client):
    response = sign_up(client, "ｔｏｍ２")  # fullwidth
    assert response.status_code == 302
    user = User.objects.get()
    assert user.username == "tom2"
    assert user.username_skeleton == "tomz"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Wendy\u202e ydneW", "Wendy ydneW"),
        ("\u2066Percy\u2069", "Percy"),
        ("Zero\u200bwidth", "Zerowidth"),
        ("Tab\tand\nnewline", "Tab and newline"),
        ("Cafe\u0301", "Café"),
        ("👩\u200d👩\u200d👧 family", "👩\u200d👩\u200d👧 family"),
        ("  lots   of   space ", "lots of space"),
    ],
)
def test_display_names_lose_bidi_and_invisible_characters(typed, stored):
    assert clean_display_name(typed) == stored


@pytest.mark.django_db
def test_profile_and_model_clean_the_display_name(client, member):
    client.force_login(member)
    client.post("/accounts/profile/", {"display_name": "Evil\u202eWendy", "bio": ""})
    member.refresh_from_db()
    assert member.display_name == "EvilWendy"
    member.display_name = "\u2067Sneaky"
    member.save()
    member.refresh_from_db()
    assert member.display_name == "Sneaky"
