from django import forms

from chat.models import MAX_MESSAGE_LENGTH


class MessageForm(forms.Form):
    body = forms.CharField(
        max_length=MAX_MESSAGE_LENGTH,
        strip=True,
        widget=forms.Textarea(
            attrs={"rows": 1, "placeholder": "Write a message…", "autocomplete": "off"}
        ),
        label="Message",
    )
