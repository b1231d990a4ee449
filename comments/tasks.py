"""Emails about comments, sent by the task worker so no request waits on SMTP."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from django_comments_xtd.models import XtdComment
from django_comments_xtd.views import notify_comment_followers
from django_tasks import task

from comments.services import moderator_emails


@task()
def notify_followers(comment_id: int) -> None:
    """django-comments-xtd's follow-up email to everyone who asked for one on
    this thread, each with a signed one-click unsubscribe link."""
    comment = XtdComment.norel_objects.filter(pk=comment_id, is_public=True).first()
    if comment is not None and not comment.is_removed:
        notify_comment_followers(comment)


@task()
def notify_moderators(comment_id: int) -> None:
    """Tell the moderators a comment reached COMMENTS_FLAG_THRESHOLD flags."""
    comment = (
        XtdComment.norel_objects.filter(pk=comment_id).select_related("user").first()
    )
    recipients = moderator_emails()
    if comment is None or comment.is_removed or not recipients:
        return
    context = {
        "comment": comment,
        "threshold": settings.COMMENTS_FLAG_THRESHOLD,
        "admin_url": f"{settings.WAGTAILADMIN_BASE_URL}/admin/comments/?flagged=pending",
    }
    send_mail(
        render_to_string(
            "django_comments_xtd/email_flagged_subject.txt", context
        ).strip(),
        render_to_string("django_comments_xtd/email_flagged.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        recipients,
    )
