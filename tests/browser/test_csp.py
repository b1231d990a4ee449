"""The Content-Security-Policy holds in a real browser: the public pages and the
Wagtail admin's main views load with no violation logged."""

from playwright.sync_api import expect

from blog.models import BlogPage
from gallery.models import GalleryImage
from tests.browser.base import BrowserTestCase

PUBLIC_PAGES = [
    "/",
    "/blog/",
    "/gallery/",
    "/gallery/cats/",
    "/chat/",
    "/chat/general/",
    "/search/?q=cat",
    "/accounts/login/",
    "/accounts/signup/",
    "/members/wendy/",
    "/credits/",
]


class ContentSecurityPolicyTests(BrowserTestCase):
    demo_data = True

    def visit_all(self, page, paths):
        for path in paths:
            response = page.goto(path)
            assert response is not None
            assert response.status == 200, path
            policy = response.headers.get("content-security-policy", "")
            assert "script-src 'self'" in policy, path
            assert "object-src 'none'" in policy, path
            page.wait_for_load_state("networkidle")

    def test_public_pages_as_a_reader(self):
        page = self.new_page()
        post = BlogPage.objects.live().first()
        self.visit_all(page, [*PUBLIC_PAGES, post.url, "/accounts/password/reset/"])
        assert self.csp_violations == []
        assert self.page_errors == []

    def test_public_pages_as_a_member(self):
        page = self.new_page()
        self.log_in(page, "wendy", self.demo_password)
        page.wait_for_url(f"{self.live_server_url}/")
        post = BlogPage.objects.live().first()
        photo = GalleryImage.objects.photos().first()
        self.visit_all(
            page,
            [
                *PUBLIC_PAGES,
                post.url,
                f"/gallery/photos/{photo.pk}/",
                "/accounts/profile/",
            ],
        )
        assert self.csp_violations == []
        assert self.page_errors == []

        # The check itself works: an inline script is refused and reported.
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.injected = true'; document.body.append(s); }"
        )
        page.wait_for_timeout(200)
        assert page.evaluate("window.injected === undefined")
        assert any("script-src" in text for text in self.csp_violations)

    def test_wagtail_admin_main_views(self):
        page = self.new_page()
        self.log_in(page, "admin", self.demo_password)
        page.wait_for_url(f"{self.live_server_url}/")
        post = BlogPage.objects.live().first()
        image = GalleryImage.objects.first()
        self.visit_all(
            page,
            [
                "/admin/",
                "/admin/pages/",
                f"/admin/pages/{post.pk}/",
                f"/admin/pages/{post.pk}/edit/",
                f"/admin/pages/add/blog/blogpage/{post.get_parent().pk}/",
                "/admin/images/",
                f"/admin/images/{image.pk}/",
                "/admin/images/multiple/add/",
                "/admin/documents/",
                "/admin/users/",
                "/admin/groups/",
                "/admin/reports/site-history/",
                "/admin/workflows/list/",
                "/admin/account/",
            ],
        )
        # The page editor's StreamField and choosers run their scripts.
        page.goto(f"/admin/pages/{post.pk}/edit/")
        expect(page.locator("#id_title")).to_have_value(post.title)
        page.locator("[data-streamfield-stream-container]").first.wait_for()
        assert self.csp_violations == []
        assert self.page_errors == []
