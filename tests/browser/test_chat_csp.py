"""Chat's pages and the API docs under the strict Content-Security-Policy the site
is moving to (script-src and style-src 'self', connect-src 'self'). The policy is
added here, in the browser, until the site sends it itself."""

import re

from playwright.sync_api import Page, expect

from tests.browser.base import BrowserTestCase
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS

STRICT = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'"
)
COLLECT = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " " + (event.sample || ""));
});
"""


class StrictCSPTests(BrowserTestCase):
    demo_data = True

    def setUp(self):
        super().setUp()
        # A document Playwright fulfils counts as from the public internet, so
        # Chromium's Local Network Access checks would block its WebSocket to
        # localhost: a test artifact, switched off for this browser only.
        self.browser = self.playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[*CHROMIUM_ARGS, "--disable-features=LocalNetworkAccessChecks"],
        )
        self.addCleanup(self.browser.close)

    def with_strict_csp(self, page: Page, path: str) -> None:
        """The policy on the page at ``path`` (only the document: a glob would
        also catch the room's WebSocket address)."""
        page.add_init_script(COLLECT)

        def add_policy(route):
            response = route.fetch()
            headers = {**response.headers, "content-security-policy": STRICT}
            route.fulfill(response=response, headers=headers)

        page.route(re.compile(rf"^https?://[^/]+{re.escape(path)}(\?.*)?$"), add_policy)

    def test_the_api_docs_work_without_inline_scripts_or_styles(self):
        page = self.new_page()
        self.with_strict_csp(page, "/api/docs/")
        page.goto("/api/docs/")
        expect(page.locator(".swagger-ui")).to_be_visible()
        expect(page.get_by_text("Post a message").first).to_be_visible()
        self.screenshot(page, "api-docs-1280x900", full_page=False)
        assert page.evaluate("window.cspViolations") == []
        assert self.page_errors == []

    def test_the_room_page_runs_its_script_under_the_policy(self):
        page = self.new_page()
        self.log_in(page, "wendy", self.demo_password)
        page.wait_for_url(f"{self.live_server_url}/")
        self.with_strict_csp(page, "/chat/general/")
        page.goto("/chat/general/")
        # chat.js runs, and the socket connects.
        expect(page.locator("#chat-status")).to_have_text("Live")
        box = page.locator("#chat-form textarea")
        box.fill("Posted under a strict policy")
        box.press("Enter")
        expect(
            page.locator(".chat-message", has_text="Posted under a strict policy")
        ).to_have_count(1)
        violations = page.evaluate("window.cspViolations")
        # Only the shared avatar include still has inline styles (the site's CSP
        # work replaces it); nothing of chat's own breaks the policy.
        assert [v for v in violations if not v.startswith("style-src-attr")] == []
        assert self.page_errors == []
