"""The review of a member's post through Wagtail's workflow, as each person sees it:
the moderator in the admin, the member on /blog/my-posts/ and in their email."""

from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.models import GroupPagePermission, Workflow, WorkflowPage, WorkflowState

import pytest

from blog import services
from blog.models import BlogPage
from tests.blog.posts import post_data, write

pytestmark = pytest.mark.django_db

COMMENT = "Lovely story! Please add where you found the sofa cover."


def act(post, moderator, action, comment=""):
    """What the moderator's "Approve" or "Request changes" button in the admin posts."""
    post = BlogPage.objects.get(pk=post.pk)
    task_state = post.current_workflow_task_state
    client = Client()
    client.force_login(moderator)
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[post.pk, action, task_state.pk]
    )
    response = client.post(url, {"comment": comment})
    assert response.status_code == 302, response.content[:500]
    return BlogPage.objects.get(pk=post.pk)


def badges(client) -> str:
    return client.get("/blog/my-posts/").content.decode()


def test_the_workflow_was_made_by_a_migration_and_fits_the_blog(blog_index):
    workflow = Workflow.objects.get(name="Moderator approval")
    [task] = workflow.tasks
    assert list(task.specific.groups.values_list("name", flat=True)) == ["Moderators"]
    assert WorkflowPage.objects.get(page=blog_index).workflow == workflow
    # Wagtail's own workflow on the root page is still there.
    assert Workflow.objects.filter(name="Moderators approval").exists()


def test_moderators_have_exactly_the_page_permissions_they_need(blog_index):
    moderators = Group.objects.get(name="Moderators")
    permissions = {
        (rule.page_id, rule.permission.codename)
        for rule in GroupPagePermission.objects.filter(group=moderators)
    }
    assert permissions == {
        (blog_index.pk, "change_page"),
        (blog_index.pk, "publish_page"),
        (blog_index.pk, "unlock_page"),
    }
    members = Group.objects.get(name="Members")
    assert not GroupPagePermission.objects.filter(group=members).exists()
    assert not members.permissions.filter(codename="access_admin").exists()


def test_the_post_waits_on_the_moderators_dashboard(client, moderator, submitted):
    client.force_login(moderator)
    dashboard = client.get("/admin/").content.decode()
    assert "Awaiting your review" in dashboard
    assert "Sent for review" in dashboard
    editor = client.get(f"/admin/pages/{submitted.pk}/edit/")
    assert editor.status_code == 200


def test_request_changes_then_resubmit_then_approve(
    client, member, moderator, submitted
):
    client.force_login(member)
    assert "In review since" in badges(client)

    # The moderator asks for changes, with a comment.
    mail.outbox.clear()
    act(submitted, moderator, "reject", COMMENT)
    page = badges(client)
    assert "Changes requested" in page
    assert COMMENT.replace("!", "!") in page
    assert "Mo" in page or moderator.get_display_name() in page
    [email] = [message for message in mail.outbox if member.email in message.to]
    assert "Changes requested" in email.subject
    assert COMMENT in email.body
    assert "http://testserver/blog/my-posts/" in email.body
    assert "/admin/" not in email.body

    # The member revises and sends it back: the same workflow resumes.
    client.post(
        f"/blog/posts/{submitted.pk}/edit/",
        post_data(
            title="Sent for review",
            body="Now with the sofa cover shop.\n",
            action="submit",
        ),
    )
    submitted.refresh_from_db()
    state = submitted.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert WorkflowState.objects.count() == 1
    assert state.current_task_state.revision == submitted.latest_revision

    # Approved: published, dated today, emailed.
    mail.outbox.clear()
    published = act(submitted, moderator, "approve")
    assert published.live
    assert published.date == timezone.localdate()
    assert "Now with the sofa cover shop." in client.get(published.url).content.decode()
    [email] = [message for message in mail.outbox if member.email in message.to]
    assert "is published" in email.subject
    assert published.full_url in email.body
    assert "Published" in badges(client)
    assert published in BlogPage.objects.for_listing()


def test_a_published_post_with_changes_in_review_shows_both(
    client, member, moderator, submitted
):
    act(submitted, moderator, "approve")
    client.force_login(member)
    client.post(
        f"/blog/posts/{submitted.pk}/edit/",
        post_data(title="Sent for review", body="Second thoughts.\n", action="submit"),
    )
    page = badges(client)
    assert "Published" in page and "Changes in review since" in page
    state = services.post_state(BlogPage.objects.get(pk=submitted.pk))
    assert (state.status, state.pending) == ("published", "in_review")


def test_nothing_to_review_on_an_unchanged_published_post(member, moderator, submitted):
    post = act(submitted, moderator, "approve")
    with pytest.raises(services.BlogError):
        services.submit_for_review(member, post)


def test_members_cannot_approve_publish_or_reach_the_admin(client, member, submitted):
    client.force_login(member)
    task_state = submitted.current_workflow_task_state
    attempts = [
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[submitted.pk, "approve", task_state.pk],
        ),
        reverse("wagtailadmin_pages:edit", args=[submitted.pk]),
    ]
    for url in attempts:
        response = client.post(url, {"comment": "", "action-publish": "1"})
        assert response.status_code in (302, 403, 404)
        assert not response.get("Location", "").startswith("/admin/pages/")
    assert client.get("/admin/").status_code == 302
    submitted.refresh_from_db()
    assert not submitted.live
    assert submitted.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_members_cannot_touch_someone_elses_post(
    client, member, other_member, submitted
):
    client.force_login(other_member)
    for url in (
        f"/blog/posts/{submitted.pk}/edit/",
        f"/blog/posts/{submitted.pk}/preview/",
    ):
        assert client.get(url).status_code == 404
    for url in (
        f"/blog/posts/{submitted.pk}/edit/",
        f"/blog/posts/{submitted.pk}/withdraw/",
        f"/blog/posts/{submitted.pk}/submit/",
    ):
        assert client.post(url, post_data(title="Hijacked")).status_code == 404
    submitted.refresh_from_db()
    assert submitted.draft_title == "Sent for review"
    assert submitted.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert submitted.revisions.count() == 1


def test_a_crafted_publish_through_the_member_form_does_nothing(client, member, draft):
    client.force_login(member)
    client.post(
        f"/blog/posts/{draft.pk}/edit/",
        post_data(action="publish", live="true", **{"action-publish": "1"}),
    )
    draft.refresh_from_db()
    assert not draft.live
    assert not WorkflowState.objects.exists()


def test_a_blog_without_a_workflow_refuses_rather_than_publishing(member, blog_index):
    WorkflowPage.objects.filter(page=blog_index).delete()
    Workflow.objects.filter(name="Moderators approval").update(active=False)
    post = write(member)
    with pytest.raises(services.BlogError):
        services.submit_for_review(member, post)
    post.refresh_from_db()
    assert not post.live


def test_new_blog_indexes_get_moderation_too(blog_index):
    from tests.factories.blog import BlogIndexPageFactory

    second = BlogIndexPageFactory(title="News", slug="news")
    assert WorkflowPage.objects.get(page=second).workflow.name == "Moderator approval"


def test_my_posts_lists_every_state(client, member, moderator, blog_index):
    write(member, title="Just a draft")
    in_review = write(member, title="Waiting")
    services.submit_for_review(member, in_review)
    needs_work = write(member, title="Needs work")
    services.submit_for_review(member, needs_work)
    act(needs_work, moderator, "reject", COMMENT)
    client.force_login(member)
    page = badges(client)
    for text in (
        "Just a draft",
        "Draft",
        "Waiting",
        "In review since",
        "Needs work",
        "Changes requested",
        COMMENT,
    ):
        assert text in page
