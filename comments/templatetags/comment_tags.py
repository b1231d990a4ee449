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
    request, obj, *, form=None, error="", reply_to=None, edit_id=None, posted=None
) -> dict:
    """Everything the comment section template shows for ``obj``."""
    user = request.user
    visible = services.can_view(user, obj)
    key = obj._meta.label_lower
    closed = services.closed_reason(obj) if visible else ""
    nodes = services.thread(obj, user) if visible else []
    return {
        "target": obj,
        "visible": visible,
        "closed": closed,
        "nodes": nodes,
        "count": _count(nodes),
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


def _count(nodes) -> int:
    return sum(0 if node.removed else 1 for node in nodes) + sum(
        _count(node.children) for node in nodes
    )


@register.inclusion_tag("django_comments_xtd/section.html", takes_context=True)
def comment_section(context, obj):
    """The comments of ``obj`` with the form to add one (or why not)."""
    return section_context(context["request"], obj)


@register.simple_tag
def can_edit_comment(user, comment) -> bool:
    return services.can_edit(user, comment)


@register.filter
def commented_url(obj) -> str:
    """The absolute address of a commented object's page (for emails)."""
    return settings.WAGTAILADMIN_BASE_URL + services.url_of(obj)
