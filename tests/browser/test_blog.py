"""The whole story of a member's post, in Chromium: sign up, write with a picture,
send for review; the moderator asks for changes; the member reads the comment,
revises and sends it back; the moderator approves; the post is on the blog and in
its feed."""

import io
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from blog.models import BlogPage
from tests.browser.base import BrowserTestCase

TITLE = "Tibbles meets the vacuum cleaner"
COMMENT = "Great story! Please say what Tibbles did afterwards."


def picture_file(tmp: Path) -> Path:
    from PIL import Image

    path = tmp / "tibbles.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), (120, 90, 60)).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


class BlogStoryTests(BrowserTestCase):
    demo_data = True

    def sign_up(self, page: Page, username: str) -> None:
        page.goto("/accounts/signup/")
        form = page.locator("main form")
        form.locator("input[name=email]").fill(f"{username}@example.com")
        form.locator("input[name=username]").fill(username)
        form.locator("input[name=password1]").fill("purring-on-the-keyboard-42")
        form.locator("input[name=password2]").fill("purring-on-the-keyboard-42")
        form.locator("button[type=submit]").click()
        page.wait_for_url(f"{self.live_server_url}/")

    def moderator_action(self, page: Page, action: str, comment: str = "") -> None:
        page.goto("/admin/")
        row = page.locator("tr, li, .w-panel section").filter(has_text=TITLE).last
        row.get_by_role("button", name="Actions").click()
        row.get_by_role("button", name=action, exact=True).click()
        if comment:
            modal = page.locator(".modal")
            modal.locator("textarea[name=comment]").fill(comment)
            modal.locator("button[type=submit]").click()
        page.wait_for_load_state("networkidle")

    def test_a_post_from_sign_up_to_the_feed(self):
        import tempfile

        tmp = Path(tempfile.mkdtemp())
        member = self.new_page(390, 844)
        self.sign_up(member, "tibbles")

        # Write, with a picture inserted at the cursor, and send for review.
        member.goto("/blog/write/")
        member.locator("input[name=title]").fill(TITLE)
        member.locator("textarea[name=intro]").fill("It did not go well.")
        body = member.locator("textarea[name=body]")
        body.fill("The vacuum came out at nine.\n\n")
        body.press("End")
        member.locator("input[name=picture]").set_input_files(str(picture_file(tmp)))
        member.locator("input[name=picture_alt]").fill(
            "A brown cat glaring at a vacuum cleaner"
        )
        member.get_by_role("button", name="Upload and insert at the cursor").click()
        expect(member.locator("[data-picture-status]")).to_contain_text("Added")
        expect(body).to_have_value(
            re.compile(r"!\[A brown cat glaring at a vacuum cleaner\]\(image:\d+\)")
        )
        body.press("Control+End")
        body.type("Tibbles was **not** impressed.")
        member.locator("input[name=tags]").fill("vacuum, drama")
        self.screenshot(member, "blog-write-390x844")
        member.get_by_role("button", name="Send for review").click()
        member.wait_for_url(f"{self.live_server_url}/blog/my-posts/")
        expect(member.locator("main")).to_contain_text("In review since")
        post = BlogPage.objects.get(title=TITLE)
        assert [
            block.block_type for block in post.get_latest_revision_as_object().body
        ] == [
            "paragraph",
            "image",
            "paragraph",
        ]

        # The moderator asks for changes from the dashboard.
        moderator = self.new_page()
        self.log_in(moderator, "moderator", self.demo_password)
        moderator.wait_for_url(f"{self.live_server_url}/")
        self.moderator_action(moderator, "Request changes", COMMENT)
        self.screenshot(moderator, "blog-moderator-dashboard-1280x900")

        # The member reads the comment, revises and sends it back.
        member.goto("/blog/my-posts/")
        expect(member.locator("main")).to_contain_text("Changes requested")
        expect(member.locator(".review-comment")).to_have_text(COMMENT)
        self.screenshot(member, "blog-my-posts-changes-requested-390x844")
        member.get_by_role("link", name="Edit").first.click()
        member.locator("textarea[name=body]").press("Control+End")
        member.locator("textarea[name=body]").type(
            "\n\nAfterwards he slept for six hours."
        )
        member.get_by_role("button", name="Send back for review").click()
        member.wait_for_url(f"{self.live_server_url}/blog/my-posts/")
        expect(member.locator("main")).to_contain_text("In review since")

        # Approved: on the blog and in the feed.
        self.moderator_action(moderator, "Approve")
        post.refresh_from_db()
        assert post.live
        member.goto("/blog/")
        expect(member.locator("main")).to_contain_text(TITLE)
        member.goto(post.url)
        expect(member.locator("main")).to_contain_text(
            "Afterwards he slept for six hours."
        )
        expect(member.locator("main figure img")).to_have_attribute(
            "alt", "A brown cat glaring at a vacuum cleaner"
        )
        feed = member.request.get("/blog/feed/")
        assert TITLE in feed.text()
        assert self.page_errors == []
        assert self.csp_violations == []
