"""Moderators handle comments in the Wagtail admin's Moderation menu; members never
see it."""

from django.core.exceptions import PermissionDenied

import pytest
from django_comments.models import CommentFlag
from django_comments_xtd.models import XtdComment

from comments import services
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/comments/"


@pytest.fixture
def comments(member, other_member, post):
    nice = services.post_comment(member, post, "A lovely post")
    rude = services.post_comment(other_member, post, "Something rude")
    reply = services.post_comment(member, post, "Please be kind", parent_id=rude.pk)
    for flagger in (member, UserFactory()):
        services.flag(flagger, rude.pk)
    return {"nice": nice, "rude": rude, "reply": reply}


def listed(response) -> set[str]:
    return {comment.comment for comment in response.context["object_list"]}


def bulk(client, action, comments):
    url = f"/admin/bulk/django_comments_xtd/xtdcomment/{action}/"
    query = "&".join(f"id={comment.pk}" for comment in comments)
    confirm = client.get(f"{url}?next={LIST}&{query}")
    assert confirm.status_code == 200
    return client.post(f"{url}?next={LIST}&{query}")


def test_the_moderation_menu_shows_comments_with_a_flag_badge(
    client, moderator, comments
):
    client.force_login(moderator)
    dashboard = client.get("/admin/").content.decode()
    assert "Moderation" in dashboard
    assert "Comments (1 flagged)" in dashboard


def test_the_list_and_its_filters(client, moderator, member, comments, post):
    client.force_login(moderator)
    everything = client.get(LIST)
    assert everything.status_code == 200
    assert listed(everything) == {"A lovely post", "Something rude", "Please be kind"}
    assert listed(client.get(LIST, {"flagged": "pending"})) == {"Something rude"}
    assert listed(client.get(LIST, {"user__username": member.username})) == {
        "A lovely post",
        "Please be kind",
    }
    assert listed(client.get(LIST, {"object_pk": str(post.pk)})) == listed(everything)
    assert listed(client.get(LIST, {"q": "kind"})) == {"Please be kind"}
    services.moderate(moderator, [comments["nice"]], "remove")
    assert listed(client.get(LIST, {"is_removed": "true"})) == {"A lovely post"}
    assert "2 flags" in everything.content.decode()


def test_bulk_remove_restore_and_mark_reviewed(client, moderator, comments, post):
    client.force_login(moderator)
    response = bulk(client, "remove-comments", [comments["rude"]])
    assert response.status_code == 302
    rude = XtdComment.objects.get(pk=comments["rude"].pk)
    assert rude.is_removed
    page = client.get(post.url).content.decode()
    assert "Something rude" not in page
    assert "This comment was removed by a moderator." in page
    assert "Please be kind" in page  # the reply keeps the thread readable

    bulk(client, "restore-comments", [rude])
    assert not XtdComment.objects.get(pk=rude.pk).is_removed

    bulk(client, "review-comments", [rude])
    assert CommentFlag.objects.filter(
        comment=rude, flag=CommentFlag.MODERATOR_APPROVAL
    ).exists()
    assert listed(client.get(LIST, {"flagged": "pending"})) == set()
    # A new flag after the review puts it back in the queue.
    services.flag(UserFactory(), rude.pk)
    assert listed(client.get(LIST, {"flagged": "pending"})) == {"Something rude"}


def test_a_removed_comment_without_replies_vanishes(client, moderator, comments, post):
    services.moderate(moderator, [comments["nice"]], "remove")
    page = client.get(post.url).content.decode()
    assert "A lovely post" not in page
    assert page.count("removed by a moderator") == 0


def test_members_never_reach_the_list_or_the_actions(client, member, comments):
    client.force_login(member)
    assert client.get(LIST).status_code == 302
    url = "/admin/bulk/django_comments_xtd/xtdcomment/remove-comments/"
    response = client.post(f"{url}?next={LIST}&id={comments['rude'].pk}")
    assert response.status_code in (302, 403)
    assert not XtdComment.objects.get(pk=comments["rude"].pk).is_removed
    with pytest.raises(PermissionDenied):
        services.moderate(member, [comments["rude"]], "remove")


def test_editors_without_moderation_rights_cannot_moderate(client, editor, comments):
    client.force_login(editor)
    assert client.get(LIST).status_code in (302, 403)


def test_comments_cannot_be_added_in_the_admin(admin_client):
    assert admin_client.get("/admin/comments/add/").status_code in (302, 403)
    assert admin_client.post("/admin/comments/add/", {"comment": "x"}).status_code in (
        302,
        403,
    )
    assert not XtdComment.objects.exists()
