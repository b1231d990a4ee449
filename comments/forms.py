from django import forms
from django.conf import settings


class CommentForm(forms.Form):
    """A comment or a reply: plain text, and whether to hear about replies."""

    comment = forms.CharField(
        label="Your comment",
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Write a comment…"}),
        max_length=settings.COMMENT_MAX_LENGTH,
        strip=True,
        error_messages={"required": "A comment can't be empty."},
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    followup = forms.BooleanField(
        required=False,
        initial=True,
        label="Email me when someone replies",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].error_messages["max_length"] = (
            f"A comment can be at most {settings.COMMENT_MAX_LENGTH} characters."
        )


class EditCommentForm(forms.Form):
    comment = forms.CharField(
        label="Your comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=settings.COMMENT_MAX_LENGTH,
        strip=True,
        error_messages={"required": "A comment can't be empty."},
    )
