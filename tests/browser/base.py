"""A live Daphne server (HTTP and WebSockets) driven by Debian's Chromium.

ChannelsLiveServerTestCase forks Daphne in setUpClass; it shares the SQLite file
test database (config/settings/test.py). It is a TransactionTestCase, which
flushes the database after each test: serialized_rollback brings back what the
migrations made (groups, the home page, the "Member uploads" collection).
"""

import io
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.core.management import call_command
from django.db import connections
from django.views import static

import pytest
from asgiref.sync import SyncToAsync
from channels.layers import channel_layers
from channels.testing import ChannelsLiveServerTestCase
from daphne.testing import DaphneProcess
from playwright.sync_api import Page, expect, sync_playwright

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS

NO_CHROMIUM = "Debian's chromium is not installed at /usr/bin/chromium (make test installs it with apt-get)"
SCREENSHOTS = settings.BASE_DIR / "var" / "screenshots" / "browser"
TIMEOUT_MS = 10_000


class MediaFilesHandler(ASGIStaticFilesHandler):
    """Serves MEDIA_URL from MEDIA_ROOT (DEBUG is off), so photos really load."""

    def get_base_url(self):
        return settings.MEDIA_URL

    def serve(self, request):
        return static.serve(
            request, self.file_path(request.path), document_root=settings.MEDIA_ROOT
        )


def serve_static_and_media(application):
    return MediaFilesHandler(ASGIStaticFilesHandler(application))


class ForkedDaphneProcess(DaphneProcess):
    """Daphne, forked from a test process that may already have run async tests
    (tests/chat). Drop what the fork copied but cannot use: asgiref's one sync
    thread (copied as "running", so database_sync_to_async outside a request,
    as in AuthMiddleware, would wait forever) and channel layers bound to the
    parent's event loops."""

    def run(self):
        SyncToAsync.single_thread_executor = ThreadPoolExecutor(max_workers=1)
        channel_layers.backends = {}
        super().run()


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
class BrowserTestCase(ChannelsLiveServerTestCase):
    """Chromium starts for each test, after the database is set up, and stops
    before it is flushed. While Playwright's event loop runs, Django hands this
    thread a separate set of connections (asgiref's Local), which lack what
    serialized_rollback needs; so Django's own set-up and teardown run outside it."""

    serialized_rollback = True
    ProtocolServerProcess = ForkedDaphneProcess
    static_wrapper = serve_static_and_media
    demo_data = False  # load_demo_data before each test

    @classmethod
    def setUpClass(cls):
        # Don't hand this process's open SQLite connection to the forked server.
        connections.close_all()
        super().setUpClass()

    def setUp(self):
        super().setUp()
        assert os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE") == "true"
        if self.demo_data:
            call_command("load_demo_data", stdout=io.StringIO())
        self.demo_password = os.environ["DEMO_PASSWORD"]
        self.page_errors: list[str] = []
        self.csp_violations: list[str] = []
        self.playwright = sync_playwright().start()
        self.addCleanup(self.playwright.stop)
        self.browser = self.playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        self.addCleanup(self.browser.close)
        # Runs first: the connections this test body opened inside the loop.
        self.addCleanup(connections.close_all)

    # Helpers

    def new_page(self, width: int = 1280, height: int = 900) -> Page:
        context = self.browser.new_context(
            viewport={"width": width, "height": height},
            base_url=self.live_server_url,
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("console", self._record_csp_violation)
        return page

    def _record_csp_violation(self, message) -> None:
        # Chromium reports every blocked script, style, frame or connection in
        # the console ("Refused to ... Content Security Policy directive ...").
        if "Content Security Policy" in message.text:
            self.csp_violations.append(f"{message.location.get('url')}: {message.text}")

    def wait_until(self, page: Page, expression: str, timeout: float = 10) -> None:
        """Poll a JavaScript expression until it is true. (Playwright's
        wait_for_function evaluates a string in the page, which the site's CSP
        forbids, as it forbids every eval.)"""
        deadline = time.monotonic() + timeout
        while not page.evaluate(expression):
            if time.monotonic() > deadline:
                raise AssertionError(f"still false after {timeout} s: {expression}")
            page.wait_for_timeout(100)

    def screenshot(self, page: Page, name: str, *, full_page: bool = True) -> Path:
        """Save var/screenshots/browser/<name>.png for people to look at."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    def log_in(self, page: Page, username: str, password: str) -> None:
        page.goto("/accounts/login/")
        page.locator("main input[name=login]").fill(username)
        page.locator("main input[name=password]").fill(password)
        page.locator("main form button[type=submit]").click()

    def assert_logged_in_as(self, page: Page, name: str) -> None:
        expect(page.locator("#account-menu")).to_contain_text(name)
