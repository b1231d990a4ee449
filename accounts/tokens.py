"""API tokens on the profile page: a member makes one token for scripts and bots
(`Authorization: Token <key>`), sees when it was made, and revokes it.

The key is shown once, on the page that made it; afterwards only its first
characters. Admins can also run `manage.py drf_create_token <username>`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from rest_framework.authtoken.models import Token


@never_cache
@login_required
@require_POST
def create_token(request):
    """A new token, replacing the member's old one if any."""
    with transaction.atomic():
        Token.objects.filter(user=request.user).delete()
        token = Token.objects.create(user=request.user)
    return render(request, "accounts/api_token_created.html", {"token": token})


@login_required
@require_POST
def revoke_token(request):
    deleted, _ = Token.objects.filter(user=request.user).delete()
    if deleted:
        messages.success(
            request, "Your API token is revoked: scripts using it stop working."
        )
    return redirect("profile_edit")
