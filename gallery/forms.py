from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from taggit.utils import edit_string_for_tags, parse_tags

from core.images import ACCEPTED_MIME_TYPES, FORMATS_IN_WORDS
from gallery.models import CatLabel, ReportReason
from gallery.services import PhotoDetails

MAX_TAGS = 10
MAX_TAG_LENGTH = 50


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or several files; cleaned to a list of uploads."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        files = [file for file in files if file]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


def clean_tags(value: str) -> tuple[str, ...]:
    """Lower-case tags, "#" dropped, duplicates removed, at most MAX_TAGS."""
    tags = []
    for tag in parse_tags(value or ""):
        tag = " ".join(tag.lstrip("#").split()).lower()
        if tag and tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValidationError(f"Use at most {MAX_TAGS} tags.")
    if too_long := [tag for tag in tags if len(tag) > MAX_TAG_LENGTH]:
        raise ValidationError(
            f"Tags can be at most {MAX_TAG_LENGTH} characters: “{too_long[0][:60]}…” is longer."
        )
    return tuple(tags)


def one_line(value: str) -> str:
    return " ".join((value or "").split())


class PhotoDetailsForm(forms.Form):
    """Title, caption, alt text and tags of a photo."""

    title = forms.CharField(
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    caption = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    alt_text = forms.CharField(
        max_length=250,
        required=False,
        label="Alt text",
        help_text="Describe the photo for people who can't see it, "
        "e.g. “A grey kitten asleep in a flower pot”.",
    )
    tags = forms.CharField(
        max_length=600,
        required=False,
        help_text=f"Up to {MAX_TAGS}, separated by commas, e.g. “tabby, naps”.",
        widget=forms.TextInput(
            attrs={"list": "tag-suggestions", "autocomplete": "off"}
        ),
    )

    def clean_title(self):
        return one_line(self.cleaned_data["title"])

    def clean_caption(self):
        return self.cleaned_data["caption"].replace("\r\n", "\n").strip()

    def clean_alt_text(self):
        return one_line(self.cleaned_data["alt_text"])

    def clean_tags(self):
        return clean_tags(self.cleaned_data["tags"])

    def details(self, title: str = "") -> PhotoDetails:
        data = self.cleaned_data
        return PhotoDetails(
            title=data["title"] or title,
            caption=data["caption"],
            alt_text=data["alt_text"],
            tags=data["tags"],
        )


class UploadForm(PhotoDetailsForm):
    """One photo (each file its own request, with JavaScript) or several at once
    (without it; then the details apply to each)."""

    photos = MultipleFileField(
        label="Photos",
        help_text=f"{FORMATS_IN_WORDS}. Choose one or several.",
        widget=MultipleFileInput(
            attrs={"accept": ACCEPTED_MIME_TYPES, "multiple": True}
        ),
        error_messages={"required": "Choose at least one photo."},
    )

    field_order = ["photos", "title", "caption", "alt_text", "tags"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].help_text = "Leave it empty to use the file's name."

    def clean_photos(self):
        photos = self.cleaned_data["photos"]
        limit = settings.GALLERY_MAX_FILES_PER_UPLOAD
        if len(photos) > limit:
            raise ValidationError(
                f"That is {len(photos)} files; you can upload at most {limit} at once."
            )
        return photos


class PhotoEditForm(PhotoDetailsForm):
    """An owner changing their photo's details."""

    @classmethod
    def for_photo(cls, photo, suggestion: str = "", **kwargs):
        initial = {
            "title": photo.title,
            "caption": photo.caption,
            "alt_text": photo.description or suggestion,
            "tags": edit_string_for_tags(list(photo.tags.all())),
        }
        return cls(initial=initial, **kwargs)

    def clean_title(self):
        title = super().clean_title()
        if not title:
            raise ValidationError("Give your photo a title.")
        return title


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        label="What is wrong with this photo?",
    )
    details = forms.CharField(
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Anything the moderators should know?",
        help_text="Required for “Something else”.",
    )

    def clean(self):
        cleaned = super().clean()
        cleaned["details"] = cleaned.get("details", "").strip()
        if cleaned.get("reason") == ReportReason.OTHER and not cleaned["details"]:
            self.add_error("details", "Tell the moderators what is wrong.")
        return cleaned


class LikeForm(forms.Form):
    liked = forms.TypedChoiceField(
        choices=[("1", "like"), ("0", "unlike")], coerce=lambda value: value == "1"
    )


class LabelSuggestionForm(forms.Form):
    label = forms.ChoiceField(choices=CatLabel.choices)
