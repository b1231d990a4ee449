"""The gallery's whole story in Chromium: a member uploads two photos with tags and
watches each one's progress; they are in the feed and on the tag page; another
member likes one and reports the other; the moderator hides it from the admin's
Moderation menu; it is gone from the feed."""

import io
import re
import tempfile
from pathlib import Path

from playwright.sync_api import Page, expect

from gallery.models import GalleryImage, PhotoLike, PhotoReport
from tests.browser.base import BrowserTestCase


def photo_file(folder: Path, name: str, color) -> Path:
    """A noisy JPEG (a few hundred KB, so the upload takes a moment when throttled)."""
    from PIL import Image

    noise = Image.effect_noise((900, 700), 80).convert("RGB")
    tint = Image.new("RGB", noise.size, color)
    path = folder / name
    buffer = io.BytesIO()
    Image.blend(noise, tint, 0.5).save(buffer, format="JPEG", quality=95)
    path.write_bytes(buffer.getvalue())
    return path


def throttle_uploads(page: Page, bytes_per_second: int) -> None:
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 20,
            "downloadThroughput": -1,
            "uploadThroughput": bytes_per_second,
        },
    )


class GalleryStoryTests(BrowserTestCase):
    demo_data = True

    def test_upload_like_report_hide(self):
        tmp = Path(tempfile.mkdtemp())
        first = photo_file(tmp, "garden_tabby.jpg", (200, 120, 40))
        second = photo_file(tmp, "sofa-spam.jpg", (40, 90, 200))

        # Wendy, on her phone, uploads two photos with tags.
        wendy = self.new_page(390, 844)
        self.log_in(wendy, "wendy", self.demo_password)
        wendy.wait_for_url(f"{self.live_server_url}/")
        wendy.goto("/gallery/upload/")
        expect(wendy.locator("main")).to_contain_text("remove its location (GPS)")
        self.screenshot(wendy, "gallery-upload-empty-390x844")
        wendy.locator("input[type=file]").set_input_files([str(first), str(second)])
        cards = wendy.locator("[data-upload-card]")
        expect(cards).to_have_count(2)
        expect(cards.nth(0).locator("[data-field=title]")).to_have_value("garden tabby")
        cards.nth(0).locator("[data-field=title]").fill("Garden tabby")
        cards.nth(0).locator("[data-field=tags]").fill("garden, browsertest")
        cards.nth(0).locator("[data-field=alt_text]").fill("A tabby cat in a garden")
        cards.nth(1).locator("[data-field=title]").fill("Sofa offer")
        cards.nth(1).locator("[data-field=tags]").fill("browsertest")
        self.screenshot(wendy, "gallery-upload-cards-390x844")
        throttle_uploads(wendy, 150 * 1024)
        wendy.get_by_role("button", name="Upload 2 photos").click()
        expect(wendy.locator("[data-upload-status]")).to_contain_text(
            "2 uploaded", timeout=60_000
        )
        for index in range(2):
            card = cards.nth(index)
            expect(card.locator("[data-card-status]")).to_contain_text("Uploaded")
            expect(card.locator("[data-progress]")).to_have_attribute(
                "aria-valuenow", "100"
            )
            seen = [
                int(value)
                for value in (card.get_attribute("data-progress-seen") or "").split(",")
                if value
            ]
            assert any(0 < value < 100 for value in seen), seen  # progress shown
        self.screenshot(wendy, "gallery-upload-done-390x844")
        garden = GalleryImage.objects.get(title="Garden tabby")
        sofa = GalleryImage.objects.get(title="Sofa offer")
        assert garden.uploaded_by_user.username == "wendy"
        assert sorted(t.name for t in garden.tags.all()) == ["browsertest", "garden"]

        # In the feed and on the tag page.
        wendy.goto("/gallery/")
        expect(wendy.locator(".photo-grid")).to_contain_text("Garden tabby")
        expect(wendy.locator(".photo-grid")).to_contain_text("Sofa offer")
        self.screenshot(wendy, "gallery-feed-390x844")
        wendy.goto("/gallery/tags/browsertest/")
        expect(wendy.locator(".photo-tile")).to_have_count(2)
        wendy.goto(f"/gallery/photos/{garden.pk}/")
        self.screenshot(wendy, "gallery-photo-390x844")

        # Percy likes one (no reload) and reports the other.
        percy = self.new_page()
        self.log_in(percy, "percy", self.demo_password)
        percy.wait_for_url(f"{self.live_server_url}/")
        percy.goto("/gallery/")
        self.screenshot(percy, "gallery-feed-1280x900")
        percy.goto(f"/gallery/photos/{garden.pk}/")
        percy.evaluate("() => { window.stillHere = true; }")
        percy.get_by_role("button", name="Like").click()
        expect(percy.locator("[data-like-count]")).to_have_text("1 like")
        expect(percy.get_by_role("button", name="Liked")).to_be_visible()
        assert percy.evaluate("() => window.stillHere === true")  # no reload
        assert (
            PhotoLike.objects.filter(photo=garden, user__username="percy").count() == 1
        )
        self.screenshot(percy, "gallery-photo-1280x900")
        percy.goto(f"/gallery/photos/{sofa.pk}/")
        percy.get_by_role("link", name="Report this photo").click()
        percy.get_by_label("Spam or advertising").check()
        percy.get_by_role("button", name="Send the report").click()
        expect(percy.locator("main")).to_contain_text(
            "the moderators will look at this photo"
        )
        assert PhotoReport.objects.filter(photo=sofa, reason="spam").exists()

        # The moderator hides it from the admin's Moderation menu.
        moderator = self.new_page()
        self.log_in(moderator, "moderator", self.demo_password)
        moderator.wait_for_url(f"{self.live_server_url}/")
        moderator.goto("/admin/")
        moderator.get_by_role("button", name="Moderation").click()
        moderator.get_by_role("link", name="Reported photos").click()
        moderator.get_by_role("link", name="Sofa offer").click()
        expect(moderator.locator("main")).to_contain_text("Spam or advertising")
        expect(moderator.locator("main")).to_contain_text("@percy")
        self.screenshot(moderator, "gallery-admin-report-1280x900")
        moderator.get_by_role("button", name="Hide it").click()
        expect(moderator.locator("main")).to_contain_text("hidden from everyone")
        sofa.refresh_from_db()
        assert sofa.is_hidden

        # Gone from the feed and its page, for Percy; Wendy sees it marked hidden.
        percy.goto("/gallery/")
        expect(percy.locator(".photo-grid")).to_contain_text("Garden tabby")
        expect(percy.locator(".photo-grid")).not_to_contain_text("Sofa offer")
        assert percy.goto(f"/gallery/photos/{sofa.pk}/").status == 404
        wendy.goto(f"/gallery/photos/{sofa.pk}/")
        expect(wendy.locator("main")).to_contain_text("Hidden by a moderator")

        assert self.page_errors == []
        assert [v for v in self.csp_violations if "/admin/" not in v] == []

    def test_load_more_appends_without_a_reload(self):
        from accounts.models import User
        from tests.factories.gallery import GalleryImageFactory

        wendy = User.objects.get(username="wendy")
        GalleryImageFactory.create_batch(30, uploaded_by_user=wendy)
        page = self.new_page(390, 844)
        page.goto("/gallery/")
        tiles = page.locator(".photo-grid .photo-tile")
        expect(tiles).to_have_count(24)
        page.evaluate("() => { window.stillHere = true; }")
        page.get_by_role("link", name="Load more photos").click()
        expect(tiles).to_have_count(46)  # the 16 demo photos and these 30
        assert page.evaluate("() => window.stillHere === true")
        assert re.search(r"/gallery/$", page.url)
        assert self.csp_violations == [] and self.page_errors == []
