from django import template
from django.conf import settings
from django.urls import reverse

from comments import services
from comments.forms import CommentForm

register = template.Library()


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def section_context(
    request,
    obj,
    *,
    form=None,
    error="",
    reply_to=None,
    edit_id=None,
    posted=None,
    pages=None,
) -> dict:
    """Everything the comment section template shows for ``obj``; ``pages`` (or
    ?comments=N) shows that many pages of the thread."""
    user = request.user
    visible = services.can_view(user, obj)
    key = obj._meta.label_lower
    closed = services.closed_reason(obj) if visible else ""
    pages = pages or _int(request.GET.get("comments")) or 1
    page = services.thread(obj, user, last_page=min(pages, 50)) if visible else None
    return {
        "target": obj,
        "visible": visible,
        "closed": closed,
        "thread": page,
        "count": services.count_shown(obj) if visible else 0,
        "more_url": reverse("comments:more", args=[key, obj.pk]),
        "form": form or CommentForm(),
        "error": error,
        "post_url": reverse("comments:post", args=[key, obj.pk]),
        "login_url": f"{reverse('account_login')}?next={services.url_of(obj)}%23comments",
        "reply_to": reply_to or _int(request.GET.get("reply")),
        "edit_id": edit_id or _int(request.GET.get("edit")),
        "posted": posted,
        "max_depth": services.max_depth(),
        "request": request,
        "user": user,
    }


@register.inclusion_tag("django_comments_xtd/section.html", takes_context=True)
def comment_section(context, obj):
    """The comments of ``obj`` with the form to add one (or why not)."""
    return section_context(context["request"], obj)


@register.filter
def commented_url(obj) -> str:
    """The absolute address of a commented object's page (for emails)."""
    return settings.WAGTAILADMIN_BASE_URL + services.url_of(obj)
