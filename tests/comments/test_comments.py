"""Comments on posts: posting, replies, the depth limit, likes, flags, a member's
own edits and deletions, follow-up emails, visibility and rate limits."""

import html
import re
from datetime import timedelta

from django.core import mail
from django.utils import timezone

import pytest
from django_comments.models import CommentFlag
from django_comments_xtd.models import XtdComment

from comments import services
from tests.factories.accounts import UserFactory
from tests.factories.blog import BlogPageFactory

pytestmark = pytest.mark.django_db


def post_url(post) -> str:
    return f"/comments/on/blog.blogpage/{post.pk}/"


def say(client, post, text, parent=None, followup=True, **headers):
    data = {"comment": text}
    if parent:
        data["parent"] = parent.pk
    if followup:
        data["followup"] = "on"
    return client.post(post_url(post), data, **headers)


def test_readers_see_the_thread_and_a_log_in_link(client, member, post):
    services.post_comment(member, post, "Boxes are the best beds.")
    content = client.get(post.url).content.decode()
    assert "Boxes are the best beds." in content
    assert f'href="/accounts/login/?next={post.url}%23comments"' in content
    assert 'name="comment"' not in content


def test_readers_cannot_post(client, post):
    response = say(client, post, "Hello")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not XtdComment.objects.exists()


def test_a_member_posts_and_is_sent_back_to_the_comment(client, member, post):
    client.force_login(member)
    response = say(client, post, "Boxes!")
    comment = XtdComment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{post.url}#comment-{comment.pk}"
    assert (comment.user, comment.comment, comment.level) == (member, "Boxes!", 0)
    assert comment.content_object == post
    assert comment.ip_address == "127.0.0.1"


def test_with_htmx_the_section_comes_back_rendered(client, member, post):
    client.force_login(member)
    response = say(client, post, "Via htmx", HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<section class="comments')
    assert "Via htmx" in content and 'id="comments"' in content


def test_replies_nest_up_to_three_levels(client, member, other_member, post):
    client.force_login(member)
    say(client, post, "Level one")
    first = XtdComment.objects.get(comment="Level one")
    client.force_login(other_member)
    say(client, post, "Level two", parent=first)
    second = XtdComment.objects.get(comment="Level two")
    say(client, post, "Level three", parent=second)
    third = XtdComment.objects.get(comment="Level three")
    assert [c.level for c in (first, second, third)] == [0, 1, 2]
    assert third.thread_id == first.pk

    response = say(client, post, "Level four", parent=third)
    assert response.status_code == 400
    assert not XtdComment.objects.filter(comment="Level four").exists()
    assert XtdComment.objects.count() == 3

    [root] = services.thread(post, member).nodes
    assert root.children[0].children[0].comment == third


def test_a_reply_to_another_objects_thread_is_refused(client, member, post, blog_index):
    other = BlogPageFactory(parent=blog_index, title="Other")
    elsewhere = services.post_comment(member, other, "Elsewhere")
    client.force_login(member)
    response = say(client, post, "Sneaky reply", parent=elsewhere)
    assert response.status_code == 400
    assert XtdComment.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "can't be empty"),
        ("   \n  ", "can't be empty"),
        ("x" * 3001, "at most 3000"),
    ],
)
def test_empty_and_over_long_comments_are_refused(client, member, post, text, message):
    client.force_login(member)
    response = say(client, post, text)
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert not XtdComment.objects.exists()


def test_a_double_submitted_comment_is_posted_once(client, member, post):
    client.force_login(member)
    say(client, post, "Same words")
    response = say(client, post, "Same words")
    assert response.status_code == 409
    assert "just posted that" in response.content.decode()
    assert XtdComment.objects.count() == 1


def test_comments_are_rate_limited_with_a_clear_message(client, member, post, settings):
    settings.COMMENTS_RATE_LIMIT = "2/300"
    client.force_login(member)
    say(client, post, "one")
    say(client, post, "two")
    response = say(client, post, "three")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "commenting very fast" in response.content.decode()
    assert "three" in response.content.decode()  # the text is not lost
    assert XtdComment.objects.count() == 2


def test_text_is_plain_and_links_are_safe(client, member, post):
    client.force_login(member)
    say(
        client,
        post,
        "<script>alert(1)</script> <b>bold</b> see https://example.com/x?a=1&b=2\nnew line",
    )
    content = client.get(post.url).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt;" in content
    assert re.search(
        r'<a href="https://example.com/x\?a=1&amp;b=2" rel="nofollow ugc noopener">',
        content,
    )
    assert "new line" in content and "<br>" in content


def test_likes_toggle_once_per_member(client, member, other_member, post):
    comment = services.post_comment(member, post, "Like me")
    client.force_login(other_member)
    client.post(f"/comments/{comment.pk}/like/")
    client.post(f"/comments/{comment.pk}/like/", HTTP_HX_REQUEST="true")
    assert not CommentFlag.objects.filter(flag="I liked it").exists()
    response = client.post(f"/comments/{comment.pk}/like/", HTTP_HX_REQUEST="true")
    assert "Liked · 1" in response.content.decode()
    client.force_login(member)
    assert (
        client.post(f"/comments/{comment.pk}/like/").status_code == 403
    )  # not your own
    assert CommentFlag.objects.filter(flag="I liked it").count() == 1


def test_flags_count_once_and_tell_the_moderators_at_the_threshold(
    client, member, moderator, post, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_FLAG_THRESHOLD = 2
    comment = services.post_comment(member, post, "Rude words")
    flaggers = [UserFactory(), UserFactory()]
    mail.outbox.clear()
    for flagger in flaggers:
        client.force_login(flagger)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/comments/{comment.pk}/flag/")
            client.post(f"/comments/{comment.pk}/flag/")
    assert CommentFlag.objects.filter(flag=CommentFlag.SUGGEST_REMOVAL).count() == 2
    [email] = [m for m in mail.outbox if moderator.email in m.to]
    assert "flagged 2 times" in email.subject
    assert "Rude words" in email.body and "/admin/comments/" in email.body


def test_a_member_edits_within_ten_minutes_only(client, member, other_member, post):
    comment = services.post_comment(member, post, "Typo hree")
    client.force_login(other_member)
    assert (
        client.post(f"/comments/{comment.pk}/edit/", {"comment": "Hijack"}).status_code
        == 403
    )
    client.force_login(member)
    client.post(f"/comments/{comment.pk}/edit/", {"comment": "Typo here"})
    comment.refresh_from_db()
    assert comment.comment == "Typo here"
    XtdComment.objects.filter(pk=comment.pk).update(
        submit_date=timezone.now() - timedelta(minutes=11)
    )
    response = client.post(f"/comments/{comment.pk}/edit/", {"comment": "Too late"})
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.comment == "Typo here"


def test_a_member_deletes_their_own_comment_only(client, member, other_member, post):
    lonely = services.post_comment(member, post, "Nobody answered")
    answered = services.post_comment(member, post, "Somebody answered")
    services.post_comment(other_member, post, "An answer", parent_id=answered.pk)
    client.force_login(other_member)
    assert client.post(f"/comments/{lonely.pk}/delete/").status_code == 403
    client.force_login(member)
    client.post(f"/comments/{lonely.pk}/delete/")
    client.post(f"/comments/{answered.pk}/delete/")
    assert not XtdComment.objects.filter(pk=lonely.pk).exists()
    answered.refresh_from_db()
    assert answered.is_removed and answered.comment == ""
    content = client.get(post.url).content.decode()
    assert "This comment was deleted by its author." in content
    assert "An answer" in content
    assert "Somebody answered" not in content


def test_follow_up_emails_and_one_click_unsubscribe(
    client, member, other_member, post, django_capture_on_commit_callbacks
):
    services.post_comment(member, post, "Tell me about replies", followup=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_comment(other_member, post, "A reply for you")
    [email] = [m for m in mail.outbox if member.email in m.to]
    assert "A reply for you" in email.body
    mute = re.search(r"http://testserver(/comments/mute/[^\s]+/)", email.body).group(1)
    response = client.get(mute)
    assert response.status_code == 200
    assert "You're unsubscribed" in response.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_comment(other_member, post, "Another reply")
    assert [m for m in mail.outbox if member.email in m.to] == []


def test_an_unsubscribe_link_cannot_be_forged(
    client, member, other_member, post, django_capture_on_commit_callbacks
):
    services.post_comment(member, post, "Follow", followup=True)
    services.post_comment(other_member, post, "Also follow", followup=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_comment(UserFactory(), post, "Reply to both")
    link = re.search(r"(/comments/mute/[^\s]+/)", mail.outbox[0].body).group(1)
    key = link.split("/")[3]
    tampered = key[:-3] + ("aaa" if not key.endswith("aaa") else "bbb")
    assert client.get(f"/comments/mute/{tampered}/").status_code == 400
    assert XtdComment.objects.filter(followup=True).count() == 2


def test_drafts_show_and_take_no_comments(client, member, blog_index):
    draft = BlogPageFactory(parent=blog_index, title="Draft", live=False)
    client.force_login(member)
    assert say(client, draft, "Sneaky").status_code == 403
    assert not XtdComment.objects.exists()


def test_closed_posts_show_comments_but_take_no_more(client, member, post):
    services.post_comment(member, post, "Before closing")
    post.comments_open = False
    post.save_revision().publish()
    client.force_login(member)
    content = client.get(post.url).content.decode()
    assert "Before closing" in content
    assert "Comments are closed on this post." in content
    assert 'name="comment"' not in content
    assert say(client, post, "After closing").status_code == 403
    assert XtdComment.objects.count() == 1


def test_unknown_targets_are_404(client, member):
    client.force_login(member)
    assert (
        client.post("/comments/on/chat.message/1/", {"comment": "x"}).status_code == 404
    )
    assert (
        client.post("/comments/on/blog.blogpage/999999/", {"comment": "x"}).status_code
        == 404
    )


def test_counts_on_post_cards(client, member, other_member, post):
    services.post_comment(member, post, "One")
    services.post_comment(other_member, post, "Two")
    removed = services.post_comment(other_member, post, "Three")
    services.moderate(UserFactory(is_superuser=True), [removed], "remove")
    assert "2 comments" in client.get("/blog/").content.decode()


def test_long_threads_come_in_pages(client, member, other_member, post, settings):
    settings.COMMENTS_THREADS_PER_PAGE = 2
    settings.COMMENTS_RATE_LIMIT = "100/60"
    for number in range(5):
        root = services.post_comment(member, post, f"Conversation {number}")
        services.post_comment(other_member, post, f"Reply {number}", parent_id=root.pk)
    first = client.get(post.url).content.decode()
    assert "Conversation 1" in first and "Reply 1" in first
    assert "Conversation 2" not in first
    assert 'href="?comments=2#comment-more-2"' in first
    assert "10</span>" in first  # the count is of every comment
    more = client.get(
        f"/comments/on/blog.blogpage/{post.pk}/more/",
        {"page": 2},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Conversation 2" in more and "Conversation 3" in more
    assert "Conversation 1" not in more and "Conversation 4" not in more
    assert "?page=3" in more
    # Without JavaScript, the link shows every page so far.
    both = client.get(post.url, {"comments": 2}).content.decode()
    assert "Conversation 0" in both and "Conversation 3" in both
    assert "Conversation 4" not in both


def photo_url(photo) -> str:
    return f"/comments/on/gallery.galleryimage/{photo.pk}/"


def test_members_comment_on_visible_photos(client, member, other_member):
    from tests.factories.gallery import GalleryImageFactory

    photo = GalleryImageFactory(uploaded_by_user=other_member, title="Sunny nap")
    client.force_login(member)
    response = client.post(photo_url(photo), {"comment": "What a sunny spot!"})
    comment = XtdComment.objects.get()
    assert response["Location"] == f"/gallery/photos/{photo.pk}/#comment-{comment.pk}"
    page = client.get(f"/gallery/photos/{photo.pk}/").content.decode()
    assert "What a sunny spot!" in page
    feed = client.get("/gallery/").content.decode()
    assert re.search(
        r'fa-comment" aria-hidden="true"></i> 1<span class="visually-hidden"> comments',
        feed,
    )


def test_hidden_photos_show_and_take_no_comments(client, member, other_member):
    from tests.factories.gallery import GalleryImageFactory

    photo = GalleryImageFactory(uploaded_by_user=member, title="Hidden one")
    services.post_comment(other_member, photo, "Before it was hidden")
    type(photo).objects.filter(pk=photo.pk).update(is_hidden=True)
    client.force_login(member)  # the owner still sees the photo, not its comments
    page = client.get(f"/gallery/photos/{photo.pk}/")
    assert page.status_code == 200
    assert "Before it was hidden" not in page.content.decode()
    assert client.post(photo_url(photo), {"comment": "Sneaky"}).status_code == 403
    assert XtdComment.objects.count() == 1
