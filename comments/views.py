"""Posting, replying, editing, deleting, liking and flagging: thin views over
comments/services.py. Every action works as a plain form post (and redirects back
to the thread); with htmx the section is re-rendered in place, by the same
template that renders it in the page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from django_comments_xtd.models import XtdComment

from comments import services
from comments.forms import CommentForm, EditCommentForm
from comments.templatetags.comment_tags import section_context
from core.client_ip import client_ip


def _comment(comment_id) -> XtdComment:
    comment = XtdComment.norel_objects.filter(pk=comment_id).first()
    if comment is None or comment.content_object is None:
        raise Http404("No such comment.")
    return comment


def _section(request, obj, *, status=200, **extra):
    """The comment section of ``obj``, as the page shows it."""
    html = render_to_string(
        "django_comments_xtd/section.html",
        section_context(request, obj, **extra),
        request=request,
    )
    return HttpResponse(html, status=status)


def _back(request, obj, anchor="comments"):
    return HttpResponseRedirect(f"{services.url_of(obj)}#{anchor}")


def _refused(request, obj, error: services.CommentError, form=None):
    if request.htmx:
        response = _section(request, obj, form=form, error=error.reason)
    else:
        messages.error(request, error.reason)
        if form is None:
            return _back(request, obj)
        response = render(
            request,
            "django_comments_xtd/form_page.html",
            {
                "form": form,
                "error": error.reason,
                "target": obj,
                "target_url": services.url_of(obj),
            },
            status=error.status,
        )
    if error.retry_after:
        response["Retry-After"] = str(error.retry_after)
    return response


@require_POST
def post(request, key, object_pk):
    """A new comment, or a reply when the form names a parent."""
    _, obj = services.target(key, object_pk)
    if not request.user.is_authenticated:
        return HttpResponseRedirect(
            f"/accounts/login/?next={services.url_of(obj)}%23comments"
        )
    form = CommentForm(request.POST)
    if not form.is_valid():
        error = services.CommentError(
            " ".join(e for errors in form.errors.values() for e in errors)
        )
        return _refused(request, obj, error, form)
    try:
        comment = services.post_comment(
            request.user,
            obj,
            form.cleaned_data["comment"],
            parent_id=form.cleaned_data.get("parent"),
            followup=form.cleaned_data["followup"],
            ip=client_ip(request),
        )
    except services.CommentError as error:
        if error.status == 403:
            raise PermissionDenied(error.reason) from None
        return _refused(request, obj, error, form)
    if request.htmx:
        return _section(request, obj, posted=comment.pk)
    messages.success(request, "Your comment is posted.")
    return _back(request, obj, f"comment-{comment.pk}")


def more(request, key, object_pk):
    """The next page of a thread (htmx), or the page showing every page up to it."""
    _, obj = services.target(key, object_pk)
    try:
        page = max(1, int(request.GET.get("page", "2")))
    except ValueError:
        page = 2
    if not services.can_view(request.user, obj):
        raise Http404
    if not request.htmx:
        return HttpResponseRedirect(
            f"{services.url_of(obj)}?comments={page}#comment-more-{page}"
        )
    context = section_context(request, obj)
    context["thread"] = services.thread(
        obj, request.user, first_page=page, last_page=page
    )
    return render(request, "django_comments_xtd/thread_page.html", context)


def reply_form(request, comment_id):
    """The reply form under a comment (htmx), or the page with it open."""
    comment = _comment(comment_id)
    obj = comment.content_object
    if not services.can_view(request.user, obj):
        raise Http404
    if request.htmx:
        return _section(request, obj, reply_to=comment.pk)
    return HttpResponseRedirect(
        f"{services.url_of(obj)}?reply={comment.pk}#comment-{comment.pk}"
    )


def _act(request, comment, action, done: str = ""):
    """Run a member's action on a comment, then show the section again (htmx) or
    go back to the comment; a refusal is shown the same way."""
    obj = comment.content_object
    try:
        action()
    except services.CommentError as error:
        if error.status == 403:
            raise PermissionDenied(error.reason) from None
        return _refused(request, obj, error)
    if request.htmx:
        return _section(request, obj)
    if done:
        messages.success(request, done)
    return _back(request, obj, f"comment-{comment.pk}")


def _form_text(form) -> str:
    if not form.is_valid():
        raise services.CommentError(
            " ".join(e for errors in form.errors.values() for e in errors)
        )
    return form.cleaned_data["comment"]


def edit(request, comment_id):
    comment = _comment(comment_id)
    if request.method == "POST":
        form = EditCommentForm(request.POST)
        return _act(
            request,
            comment,
            lambda: services.edit_comment(request.user, comment.pk, _form_text(form)),
            "Your comment is updated.",
        )
    services.own_comment(request.user, comment.pk)
    obj = comment.content_object
    if request.htmx:
        return _section(request, obj, edit_id=comment.pk)
    return HttpResponseRedirect(
        f"{services.url_of(obj)}?edit={comment.pk}#comment-{comment.pk}"
    )


@require_POST
def delete(request, comment_id):
    comment = _comment(comment_id)
    return _act(
        request,
        comment,
        lambda: services.delete_comment(request.user, comment.pk),
        "Your comment is deleted.",
    )


def _feedback(request, comment_id, action, done: str):
    comment = _comment(comment_id)
    if not request.user.is_authenticated:
        return HttpResponseRedirect(
            f"/accounts/login/?next={services.url_of(comment.content_object)}%23comment-{comment.pk}"
        )
    return _act(request, comment, lambda: action(request.user, comment.pk), done)


@require_POST
def like(request, comment_id):
    return _feedback(request, comment_id, services.toggle_like, "")


@require_POST
def flag(request, comment_id):
    return _feedback(
        request, comment_id, services.flag, "Thank you: the moderators will look at it."
    )
