from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from accounts.forms import ProfileForm
from accounts.models import User
from accounts.services import save_profile


@login_required
def profile_edit(request):
    if request.method == "POST":
        # A copy, so a rejected form never shows its unsaved values as the
        # signed-in user (navbar, page header) on the page that reports errors.
        instance = User.objects.get(pk=request.user.pk)
        form = ProfileForm(request.POST, request.FILES, instance=instance)
        if form.is_valid():
            save_profile(form)
            messages.success(request, "Your profile is saved.")
            return redirect("profile_edit")
        messages.error(
            request, "Your profile was not saved: please check the fields marked below."
        )
    else:
        form = ProfileForm(instance=request.user)
    return render(request, "accounts/profile_edit.html", {"form": form})
