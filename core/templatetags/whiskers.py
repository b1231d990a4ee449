from functools import lru_cache

from django import forms, template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe

import nh3

register = template.Library()


@register.filter
def bootstrap_widget(bound_field):
    """Render a form field's widget with Bootstrap 5 classes and ARIA links to
    its help text and errors."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    if bound_field.errors:
        css += " is-invalid"
    attrs = {"class": f"{widget.attrs.get('class', '')} {css}".strip()}
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}_helptext")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}_errors")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return bound_field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.simple_tag
def avatar(user, size=40):
    """A member's avatar, or their initials on a coloured circle. Built in Python
    rather than an included template: it is drawn once per comment and message."""
    if user.avatar:
        return format_html(
            '<img class="avatar" src="{}" width="{}" height="{}" alt="" loading="lazy">',
            user.avatar.url,
            size,
            size,
        )
    return format_html(
        '<span class="avatar avatar-initials avatar-{} avatar-hue-{}" aria-hidden="true">{}</span>',
        size,
        user.avatar_hue_class,
        user.initials,
    )


@register.filter
def ugc_links(html) -> str:
    """Rendered rich text with rel="nofollow ugc noopener" on every link: what
    members write passes no search-engine credit (and it is sanitised once more)."""
    return mark_safe(_with_ugc_links(str(html)))  # noqa: S308 - nh3 sanitised it


@lru_cache(maxsize=1024)
def _with_ugc_links(html: str) -> str:
    # A pure function of the text, which changes far less often than it is read.
    return nh3.clean(
        html,
        attributes={**nh3.ALLOWED_ATTRIBUTES, "*": {"class"}},
        link_rel="nofollow ugc noopener",
    )


@register.simple_tag
def base_url() -> str:
    """The site's public address (BASE_URL), for links in emails."""
    return settings.WAGTAILADMIN_BASE_URL
