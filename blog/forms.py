import uuid

from django import forms
from django.core.exceptions import ValidationError

from taggit.utils import edit_string_for_tags, parse_tags

from blog.markdown import MarkdownError, blocks_to_markdown, parse
from blog.services import Draft, clean_picture, draft_of
from core.images import ACCEPTED_MIME_TYPES

MAX_TAGS = 10
MAX_TAG_LENGTH = 50
MAX_BODY_LENGTH = 50_000

BODY_HELP = (
    "Write in Markdown: a blank line starts a new paragraph; **bold**, *italic*, "
    "[a link](https://…), “- ” for a list, “## ” for a heading, “> ” for a quote. "
    "Pictures go on a line of their own."
)


class PostForm(forms.Form):
    """What a member writes: the post's words and pictures, as a Draft."""

    title = forms.CharField(
        max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    intro = forms.CharField(
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One or two sentences shown on the blog's front page and when the post is shared.",
    )
    tags = forms.CharField(
        max_length=600,
        required=False,
        help_text=f"Up to {MAX_TAGS}, separated by commas, e.g. “kittens, adoption”.",
        widget=forms.TextInput(
            attrs={"list": "tag-suggestions", "autocomplete": "off"}
        ),
    )
    body = forms.CharField(
        max_length=MAX_BODY_LENGTH,
        widget=forms.Textarea(
            attrs={"rows": 16, "class": "post-editor-text", "spellcheck": "true"}
        ),
        help_text=BODY_HELP,
    )
    listing_image = forms.FileField(
        required=False,
        label="Cover picture",
        help_text="Shown at the top of the post and on the blog's front page.",
        widget=forms.FileInput(attrs={"accept": ACCEPTED_MIME_TYPES}),
    )
    remove_listing_image = forms.BooleanField(
        required=False, label="Remove the cover picture"
    )
    picture = forms.FileField(
        required=False,
        label="Add a picture",
        help_text="It goes at the end of the post; move its line to place it elsewhere.",
        widget=forms.FileInput(attrs={"accept": ACCEPTED_MIME_TYPES}),
    )
    picture_alt = forms.CharField(
        max_length=250,
        required=False,
        label="Describe the picture",
        help_text="For people who can't see it, e.g. “A grey kitten asleep in a flower pot”.",
    )
    picture_caption = forms.CharField(
        max_length=250, required=False, label="Caption (optional)"
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.initial.get("token"):
            self.initial["token"] = str(uuid.uuid4())

    @classmethod
    def for_post(cls, post, **kwargs):
        draft = draft_of(post)
        initial = {
            "title": draft.title,
            "intro": draft.intro,
            "tags": edit_string_for_tags(list(draft.tags.all())),
            "body": blocks_to_markdown(draft.body),
        }
        return cls(initial=initial, **kwargs)

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError("Give your post a title.")
        return title

    def clean_intro(self):
        return " ".join(self.cleaned_data["intro"].split())

    def clean_tags(self):
        tags = [" ".join(tag.split()) for tag in parse_tags(self.cleaned_data["tags"])]
        tags = [tag for tag in dict.fromkeys(tags) if tag]
        if len(tags) > MAX_TAGS:
            raise ValidationError(f"Use at most {MAX_TAGS} tags.")
        if too_long := [tag for tag in tags if len(tag) > MAX_TAG_LENGTH]:
            raise ValidationError(
                f"Tags can be at most {MAX_TAG_LENGTH} characters: “{too_long[0][:60]}…” is longer."
            )
        return tags

    def clean_body(self):
        body = self.cleaned_data["body"].replace("\r\n", "\n")
        try:
            blocks = parse(body)
        except MarkdownError as error:
            raise ValidationError(str(error)) from None
        if not blocks:
            raise ValidationError("Your post has no words yet.")
        return body

    def clean_listing_image(self):
        upload = self.cleaned_data.get("listing_image")
        return clean_picture(upload) if upload else None

    def clean_picture(self):
        upload = self.cleaned_data.get("picture")
        return clean_picture(upload) if upload else None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("picture") and not cleaned.get("picture_alt", "").strip():
            self.add_error(
                "picture_alt", "Describe the picture for people who can't see it."
            )
        if cleaned.get("remove_listing_image") and cleaned.get("listing_image"):
            self.add_error(
                "remove_listing_image",
                "Either choose a new cover picture or remove it, not both.",
            )
        return cleaned

    def draft(self) -> Draft:
        data = self.cleaned_data
        return Draft(
            title=data["title"],
            intro=data["intro"],
            tags=data["tags"],
            body=data["body"],
            listing_picture=data.get("listing_image"),
            remove_listing_image=data.get("remove_listing_image", False),
            picture=data.get("picture"),
            picture_alt=" ".join(data.get("picture_alt", "").split()),
            picture_caption=" ".join(data.get("picture_caption", "").split()),
        )


class PictureForm(forms.Form):
    """One picture uploaded from the editor's "Add a picture" button."""

    picture = forms.FileField(
        widget=forms.FileInput(attrs={"accept": ACCEPTED_MIME_TYPES})
    )
    alt_text = forms.CharField(max_length=250)
    caption = forms.CharField(max_length=250, required=False)

    def clean_picture(self):
        return clean_picture(self.cleaned_data["picture"])

    def clean_alt_text(self):
        alt = " ".join(self.cleaned_data["alt_text"].split())
        if not alt:
            raise ValidationError("Describe the picture for people who can't see it.")
        return alt
