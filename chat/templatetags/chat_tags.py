from django import template
from django.utils.html import urlize
from django.utils.safestring import mark_safe

register = template.Library()

LINK_REL = "nofollow ugc noopener"


@register.filter(needs_autoescape=True)
def chat_links(text, autoescape=True):
    """Message text escaped, with its links made clickable, marked as user content.

    Django's urlize escapes everything and writes the only <a> tags in the result,
    so giving each of them our rel is safe."""
    html = urlize(text, nofollow=False, autoescape=autoescape)
    return mark_safe(html.replace("<a href=", f'<a rel="{LINK_REL}" href='))  # noqa: S308 - urlize escaped the text
