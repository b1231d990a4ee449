from django.contrib.auth.models import Group

from allauth.account.adapter import DefaultAccountAdapter

from accounts.models import MEMBERS_GROUP


class AccountAdapter(DefaultAccountAdapter):
    """Every account created through sign-up joins the Members group."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            user.groups.add(Group.objects.get(name=MEMBERS_GROUP))
        return user
