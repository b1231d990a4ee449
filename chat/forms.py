from django import forms

from chat.models import MAX_MESSAGE_LENGTH, MAX_REPORT_REASON_LENGTH


class MessageForm(forms.Form):
    body = forms.CharField(
        max_length=MAX_MESSAGE_LENGTH,
        strip=True,
        widget=forms.Textarea(
            attrs={"rows": 1, "placeholder": "Write a message…", "autocomplete": "off"}
        ),
        label="Message",
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        max_length=MAX_REPORT_REASON_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why? (optional)",
        help_text="What is wrong with this message, for the moderators.",
    )
