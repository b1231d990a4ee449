from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import filter_users_by_email, filter_users_by_username
from allauth.core import context

from accounts.models import MEMBERS_GROUP, User
from accounts.names import normalise_username, username_problem, username_skeleton
from core.client_ip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    """allauth, the Whiskers way: sign-ups join Members, failed logins count per
    account, and members without admin access are never sent on into the admin."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            user.groups.add(Group.objects.get(name=MEMBERS_GROUP))
        return user

    def clean_username(self, username, shallow=False):
        """NFKC first, then ASCII only, then no look-alike of an existing name."""
        username = normalise_username(username)
        problem = username_problem(username)
        if problem:
            raise forms.ValidationError(problem, code="invalid_username")
        username = super().clean_username(username, shallow=shallow)
        skeleton = username_skeleton(username)
        reserved = {
            username_skeleton(name) for name in settings.ACCOUNT_USERNAME_BLACKLIST
        }
        if skeleton in reserved:
            raise forms.ValidationError(
                "That username is reserved. Please choose another.",
                code="reserved_username",
            )
        if not shallow and User.objects.filter(username_skeleton=skeleton).exists():
            raise forms.ValidationError(
                "That username looks too much like an existing member's. Please choose another.",
                code="lookalike_username",
            )
        return username

    def is_safe_url(self, url):
        """Refuse ?next= into the admin for a signed-in user without admin access.

        Wagtail sends such a user to the login page with ?next=/admin/..., and
        allauth sends a signed-in visitor of that page on to ?next=: a loop.
        """
        if not super().is_safe_url(url):
            return False
        user = context.request.user
        into_admin = urlsplit(url).path.startswith(reverse("wagtailadmin_home"))
        return not (
            into_admin
            and user.is_authenticated
            and not user.has_perm("wagtailadmin.access_admin")
        )

    def _get_login_attempts_cache_key(self, request, **credentials):
        """Count failed logins per account rather than per login typed: allauth
        keys them by the username or email as typed, so with both login methods
        every account would get two budgets of attempts."""
        if "email" in credentials:
            users = list(filter_users_by_email(credentials["email"]))
        else:
            users = list(filter_users_by_username(credentials.get("username", "")))
        if len(users) == 1:
            return f"{get_current_site(request).domain}:user:{users[0].pk}"
        return super()._get_login_attempts_cache_key(request, **credentials)

    def get_client_ip(self, request):
        """The one client address the whole site uses (core/client_ip.py), so
        allauth's limits count the same address as ours."""
        return client_ip(request)
