from django.db import transaction

from accounts.forms import ProfileForm
from accounts.models import User


def save_profile(form: ProfileForm) -> User:
    """Save a valid profile form; an avatar that was replaced or removed is deleted
    from storage once the new row is committed, so a failure never loses the old one."""
    user: User = form.instance
    old_avatar = User.objects.get(pk=user.pk).avatar
    if form.cleaned_data.get("remove_avatar"):
        form.instance.avatar = ""
    user = form.save()
    if old_avatar and old_avatar.name != user.avatar.name:
        storage, name = old_avatar.storage, old_avatar.name
        transaction.on_commit(lambda: storage.delete(name))
    return user
