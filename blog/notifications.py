"""Emails about a post's review: Wagtail's for people who use the admin, ours for
members, whose links lead to /blog/my-posts/ (they cannot open the admin)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from wagtail.admin.mail import (
    WorkflowStateApprovalEmailNotifier,
    WorkflowStateRejectionEmailNotifier,
)
from wagtail.models import WorkflowState
from wagtail.signals import workflow_approved, workflow_rejected

from blog.models import BlogPage


def uses_admin(user) -> bool:
    return user.has_perm("wagtailadmin.access_admin")


class AdminUsersOnlyMixin:
    """Wagtail's notifier, for recipients who can follow its admin links."""

    def get_recipient_users(self, workflow_state, **kwargs):
        return {
            user
            for user in super().get_recipient_users(workflow_state, **kwargs)
            if uses_admin(user)
        }


class ApprovalNotifier(AdminUsersOnlyMixin, WorkflowStateApprovalEmailNotifier):
    pass


class RejectionNotifier(AdminUsersOnlyMixin, WorkflowStateRejectionEmailNotifier):
    pass


def email_member(workflow_state: WorkflowState, outcome: str, user=None) -> None:
    """Tell the member who submitted a post that it was published or needs changes."""
    member = workflow_state.requested_by
    post = workflow_state.content_object
    post = post.specific if post is not None else None
    if (
        member is None
        or not member.email
        or not member.is_active
        or member == user
        or uses_admin(member)
        or not isinstance(post, BlogPage)
    ):
        return
    task_state = workflow_state.current_task_state
    context = {
        "member": member,
        "post": post,
        "outcome": outcome,
        "comment": task_state.comment
        if task_state and outcome == "changes_requested"
        else "",
        "reviewer": user.get_display_name() if user else "A moderator",
        "my_posts_url": settings.WAGTAILADMIN_BASE_URL + reverse("blog:my_posts"),
        "post_url": post.full_url if outcome == "published" else "",
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    subject = render_to_string("blog/emails/review_subject.txt", context).strip()
    body = render_to_string("blog/emails/review.txt", context)
    send_mail(
        subject, body, settings.DEFAULT_FROM_EMAIL, [member.email], fail_silently=False
    )


def on_approved(sender, instance, user=None, **kwargs):
    email_member(instance, "published", user)


def on_rejected(sender, instance, user=None, **kwargs):
    email_member(instance, "changes_requested", user)


def connect() -> None:
    """Replace Wagtail's approval and rejection emails (same dispatch_uid) with
    ones that skip members, and send members ours."""
    for signal, notifier, uid in (
        (
            workflow_approved,
            ApprovalNotifier(),
            "workflow_state_approved_email_notification",
        ),
        (
            workflow_rejected,
            RejectionNotifier(),
            "workflow_state_rejected_email_notification",
        ),
    ):
        signal.disconnect(sender=WorkflowState, dispatch_uid=uid)
        signal.connect(notifier, sender=WorkflowState, dispatch_uid=uid)
    workflow_approved.connect(
        on_approved, sender=WorkflowState, dispatch_uid="blog_member_approved"
    )
    workflow_rejected.connect(
        on_rejected, sender=WorkflowState, dispatch_uid="blog_member_rejected"
    )
