"""Comments in Chromium: two members comment and reply without a reload, one flags
a comment, the moderator removes it in the admin, and it is gone from the page."""

import re

from django_comments_xtd.models import XtdComment
from playwright.sync_api import Page, expect

from blog.models import BlogPage
from gallery.models import GalleryImage
from tests.browser.base import BrowserTestCase

RUDE = "This post is the worst thing I ever read."


def comment_count(photo: GalleryImage) -> int:
    comments = XtdComment.objects.for_model(photo).filter(object_pk=str(photo.pk))
    return comments.filter(is_public=True, is_removed=False).count()


class CommentTests(BrowserTestCase):
    demo_data = True

    def open_as(self, username: str, path: str, width: int = 1280) -> Page:
        page = self.new_page(width, 900 if width > 500 else 844)
        self.log_in(page, username, self.demo_password)
        page.wait_for_url(f"{self.live_server_url}/")
        page.goto(path)
        page.evaluate("window.stillTheSamePage = true")
        return page

    def comment(self, page: Page, text: str) -> None:
        form = page.locator("#comments form.comment-form").first
        form.locator("textarea[name=comment]").fill(text)
        form.get_by_role("button", name="Post comment").click()
        expect(
            page.locator("#comments .comment-body").filter(has_text=text)
        ).to_have_count(1)

    def test_members_discuss_a_post_and_a_moderator_removes_a_comment(self):
        post = BlogPage.objects.get(slug="keeping-cats-off-the-bread")
        wendy = self.open_as("wendy", post.url)
        self.comment(wendy, "Does the oven trick work with a gas oven?")
        self.comment(wendy, RUDE)

        percy = self.open_as("percy", post.url, width=390)
        question = percy.locator("#comments article").filter(has_text="gas oven")
        question.get_by_role("link", name="Reply").click()
        reply_form = percy.locator("#comments form.comment-form").filter(
            has=percy.locator("input[name=parent]")
        )
        reply_form.locator("textarea").fill("It does, with the door open a crack.")
        reply_form.get_by_role("button", name="Reply").click()
        reply = percy.locator("#comments article.depth-2").filter(
            has_text="door open a crack"
        )
        expect(reply).to_have_count(1)

        # Percy likes the question and flags the rude comment.
        question = percy.locator("#comments article").filter(has_text="gas oven").first
        question.get_by_role("button", name="Like").click()
        expect(
            percy.locator("#comments article").filter(has_text="gas oven").first
        ).to_contain_text("Liked · 1")
        percy.once("dialog", lambda dialog: dialog.accept())
        percy.locator("#comments article").filter(has_text=RUDE).get_by_role(
            "button", name="Flag"
        ).click()
        expect(
            percy.locator("#comments article").filter(has_text=RUDE)
        ).to_contain_text("Flagged")
        self.screenshot(percy, "comments-thread-390x844")
        for page in (wendy, percy):
            assert page.evaluate("window.stillTheSamePage") is True

        # The moderator removes it from the admin's comment list.
        moderator = self.open_as("moderator", "/admin/comments/?flagged=pending")
        row = moderator.locator("tr").filter(has_text=RUDE)
        expect(row).to_have_count(1)
        self.screenshot(moderator, "comments-admin-list-1280x900")
        row.locator("input[type=checkbox]").check()
        moderator.get_by_role(
            "link", name="Remove the selected comments from the site"
        ).click()
        moderator.get_by_role("button", name="Remove").click()  # the confirmation page
        expect(moderator.locator(".messages")).to_contain_text("1 comment(s) removed")

        wendy.reload()
        expect(wendy.locator("#comments")).not_to_contain_text(RUDE)
        expect(wendy.locator("#comments")).to_contain_text("door open a crack")
        self.screenshot(wendy, "comments-thread-1280x900")
        assert self.page_errors == []
        assert self.csp_violations == []

    def test_a_member_comments_on_a_photo_from_a_phone(self):
        photo = GalleryImage.objects.photos().order_by("pk").first()
        path = f"/gallery/photos/{photo.pk}/"

        reader = self.new_page(390, 844)
        reader.goto(self.live_server_url + path)
        login = reader.locator("#comments").get_by_role("link", name="Log in")
        expect(login).to_have_attribute("href", re.compile(r"^/accounts/login/\?next="))

        before = comment_count(photo)
        percy = self.open_as("percy", path, width=390)
        self.comment(percy, "Those whiskers deserve their own page.")
        self.screenshot(percy, "comments-photo-390x844")
        assert percy.evaluate("window.stillTheSamePage") is True

        # The count reaches the photo's tile in the feed.
        percy.goto(self.live_server_url + "/gallery/")
        count = percy.locator(f".photo-tile:has(a[href='{path}']) .photo-comment-count")
        expect(count).to_have_text(re.compile(rf"^\s*{before + 1}\s+comments\s*$"))
        assert self.page_errors == []
        assert self.csp_violations == []
