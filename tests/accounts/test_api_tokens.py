"""API tokens on the profile page: create (shown once), see, replace, revoke."""

import pytest
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def test_the_profile_page_offers_a_token(client, member):
    client.force_login(member)
    content = client.get("/accounts/profile/").content.decode()
    assert "You have no API token." in content
    assert 'action="/accounts/profile/token/"' in content


def test_a_new_token_is_shown_once(client, member):
    client.force_login(member)

    response = client.post("/accounts/profile/token/")

    token = Token.objects.get(user=member)
    content = response.content.decode()
    assert response.status_code == 200
    assert token.key in content
    assert "shown only this once" in content
    assert f"WHISKERS_TOKEN={token.key} python scripts/chat_bot.py" in content
    assert "no-store" in response["Cache-Control"]
    profile = client.get("/accounts/profile/").content.decode()
    assert token.key not in profile  # only its first characters from now on
    assert f"<code>{token.key[:6]}…</code>" in profile


def test_replacing_and_revoking(client, member):
    client.force_login(member)
    client.post("/accounts/profile/token/")
    first = Token.objects.get(user=member).key
    client.post("/accounts/profile/token/")
    second = Token.objects.get(user=member).key
    assert second != first

    response = client.post("/accounts/profile/token/revoke/", follow=True)

    assert not Token.objects.filter(user=member).exists()
    assert "Your API token is revoked" in response.content.decode()


def test_tokens_need_a_signed_in_member_and_a_post(client, member):
    assert client.post("/accounts/profile/token/").status_code == 302  # log in
    client.force_login(member)
    assert client.get("/accounts/profile/token/").status_code == 405
    assert client.get("/accounts/profile/token/revoke/").status_code == 405
    assert not Token.objects.exists()


def test_one_members_revoke_leaves_others_tokens(client, member, other_member):
    theirs = Token.objects.create(user=other_member)
    client.force_login(member)
    client.post("/accounts/profile/token/revoke/")
    assert Token.objects.filter(pk=theirs.pk).exists()
