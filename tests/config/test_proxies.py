"""Client addresses come from trusted proxies only (TRUSTED_PROXY_COUNT).

Regression for the hardening issue: behind `daphne --proxy-headers`, each wrong
login with a different X-Forwarded-For counted for a different address, so the
per-address limit never locked anyone out.
"""

from django.conf import settings

import pytest

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many failed login attempts"


def failed_logins_allowed_per_ip() -> int:
    rates = settings.ACCOUNT_RATE_LIMITS["login_failed"].split(",")
    (per_ip,) = [rate for rate in rates if rate.endswith("/ip")]
    return int(per_ip.split("/")[0])


def wrong_logins(client, forwarded_for, count):
    """Wrong passwords for different accounts, so only the address limit applies."""
    responses = []
    for number in range(count):
        responses.append(
            client.post(
                "/accounts/login/",
                {"login": f"nobody{number}", "password": "wrong"},
                REMOTE_ADDR="10.0.0.2",
                HTTP_X_FORWARDED_FOR=forwarded_for(number),
            )
        )
    return responses


@pytest.mark.parametrize("trusted", [0, 1])
def test_spoofed_forwarded_for_does_not_escape_the_login_limit(
    client, settings, trusted
):
    settings.TRUSTED_PROXY_COUNT = trusted
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = trusted
    allowed = failed_logins_allowed_per_ip()
    # The client writes a new address each time; our proxy appends the real one.
    responses = wrong_logins(
        client, lambda n: f"203.0.113.{n}, 198.51.100.7", allowed + 2
    )
    refused = [
        TOO_MANY in r.content.decode() or r.status_code == 429 for r in responses
    ]
    assert refused[:allowed] == [False] * allowed
    assert refused[allowed:] == [True, True]


def test_different_clients_behind_the_proxy_have_their_own_limits(client, settings):
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    allowed = failed_logins_allowed_per_ip()
    wrong_logins(client, lambda n: "198.51.100.7", allowed)
    other = wrong_logins(client, lambda n: "198.51.100.8", 1)[0]
    assert TOO_MANY not in other.content.decode()


def test_production_commands_do_not_trust_daphne_proxy_headers():
    """daphne --proxy-headers takes the client-written first X-Forwarded-For entry."""
    commands = [
        line.split("#", 1)[0]
        for name in ("Procfile", "README.md")
        for line in (settings.BASE_DIR / name).read_text().splitlines()
        if "daphne " in line and "config.asgi:application" in line
    ]
    assert len(commands) >= 3
    assert [command for command in commands if "--proxy-headers" in command] == []
