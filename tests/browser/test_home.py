"""The home page in a real browser, at phone and desktop widths."""

import re

from playwright.sync_api import Page, expect

from tests.browser.base import BrowserTestCase

PHONE = (390, 844)
DESKTOP = (1280, 900)


class HomePageTests(BrowserTestCase):
    demo_data = True

    def open_home(self, width: int, height: int) -> Page:
        page = self.new_page(width, height)
        response = page.goto("/")
        assert response is not None
        assert response.status == 200
        expect(page.locator("h1")).to_have_text("Whiskers")
        return page

    def assert_content_shown(self, page: Page) -> None:
        posts = page.locator("section[aria-labelledby=latest-posts] article.card")
        photos = page.locator("section[aria-labelledby=latest-photos] .photo-tile")
        expect(posts).to_have_count(3)
        expect(posts.first.locator(".card-title")).not_to_be_empty()
        expect(photos.first).to_be_visible()
        assert photos.count() >= 4
        # Lazy images load only when scrolled to: load them all, then check
        # that every one arrived (renditions made and served).
        page.evaluate(
            "document.querySelectorAll('img[loading=lazy]')"
            ".forEach((img) => { img.loading = 'eager'; })"
        )
        self.wait_until(
            page, "Array.from(document.images).every((img) => img.complete)"
        )
        broken = page.evaluate(
            "Array.from(document.images)"
            ".filter((img) => img.naturalWidth === 0).map((img) => img.src)"
        )
        assert broken == []

    def assert_no_horizontal_overflow(self, page: Page, width: int) -> None:
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{scroll_width}px wide at a {width}px viewport"

    def test_phone_layout_and_menu(self):
        width, height = PHONE
        page = self.open_home(width, height)
        self.assert_content_shown(page)
        self.assert_no_horizontal_overflow(page, width)
        self.screenshot(page, "home-390x844")

        gallery = page.locator("#main-nav").get_by_role(
            "link", name="Gallery", exact=True
        )
        toggler = page.locator(".navbar-toggler")
        expect(toggler).to_be_visible()
        expect(gallery).to_be_hidden()
        expect(
            page.locator("#main-nav").get_by_role("link", name="Chat")
        ).to_be_hidden()

        page.evaluate("window.scrollTo(0, 0)")
        toggler.click()
        expect(toggler).to_have_attribute("aria-expanded", "true")
        expect(gallery).to_be_visible()
        # Bootstrap's collapse animates ("collapsing") before it settles ("show").
        expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))
        self.assert_no_horizontal_overflow(page, width)
        self.screenshot(page, "home-390x844-menu-open", full_page=False)

        gallery.click()
        page.wait_for_url("**/gallery/")
        expect(page.locator("h1")).to_be_visible()
        self.assert_no_horizontal_overflow(page, width)
        assert self.page_errors == []

    def test_desktop_layout(self):
        width, height = DESKTOP
        page = self.open_home(width, height)
        self.assert_content_shown(page)
        self.assert_no_horizontal_overflow(page, width)
        expect(page.locator(".navbar-toggler")).to_be_hidden()
        expect(
            page.locator("#main-nav").get_by_role("link", name="Gallery", exact=True)
        ).to_be_visible()
        self.screenshot(page, "home-1280x900")
        assert self.page_errors == []
