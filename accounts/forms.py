from django import forms
from django.conf import settings

from allauth.account import forms as allauth_forms

from accounts.avatars import normalise_avatar
from accounts.models import User
from accounts.names import clean_display_name


class ProfileForm(forms.ModelForm):
    """The public profile a member edits: display name, avatar, bio."""

    remove_avatar = forms.BooleanField(required=False, label="Remove my avatar")

    class Meta:
        model = User
        fields = ["display_name", "avatar", "bio"]
        widgets = {
            "avatar": forms.FileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
            ),
            "bio": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("remove_avatar") and self.files.get("avatar"):
            self.add_error(
                "remove_avatar",
                "Either upload a new avatar or remove the current one, not both.",
            )
        return cleaned

    def clean_display_name(self):
        return clean_display_name(self.cleaned_data["display_name"])

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if avatar and avatar != self.initial.get("avatar"):
            return normalise_avatar(
                avatar,
                max_bytes=settings.AVATAR_MAX_UPLOAD_BYTES,
                max_pixels=settings.AVATAR_MAX_PIXELS,
            )
        return avatar


class SignupForm(allauth_forms.SignupForm):
    """allauth's sign-up form, with its honeypot hidden by a class rather than a
    style attribute, which the site's Content-Security-Policy would block."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        honeypot = self.fields.get(settings.ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD)
        if honeypot is not None:
            honeypot.widget.attrs.pop("style", None)
