"""Signing up, logging out and logging in, in a real browser."""

from django.contrib.auth.models import Group

from playwright.sync_api import Page, expect

from accounts.models import MEMBERS_GROUP, User
from tests.browser.base import BrowserTestCase
from tests.factories.accounts import PASSWORD, UserFactory


class AccountTests(BrowserTestCase):
    def log_out(self, page: Page) -> None:
        page.locator("#account-menu").click()
        log_out = page.get_by_role("button", name="Log out")
        expect(log_out).to_be_visible()
        log_out.click()
        expect(page.locator("#account-menu")).to_have_count(0)
        expect(
            page.locator("#main-nav").get_by_role("link", name="Log in")
        ).to_be_visible()

    def test_sign_up_lands_logged_in_as_a_member(self):
        page = self.new_page()
        page.goto("/accounts/signup/")
        form = page.locator("main form")
        form.locator("input[name=email]").fill("tibbles@example.com")
        form.locator("input[name=username]").fill("tibbles")
        form.locator("input[name=password1]").fill("purring-on-the-keyboard-42")
        form.locator("input[name=password2]").fill("purring-on-the-keyboard-42")
        self.screenshot(page, "signup-filled-1280x900")
        form.locator("button[type=submit]").click()

        page.wait_for_url(f"{self.live_server_url}/")
        self.assert_logged_in_as(page, "tibbles")
        user = User.objects.get(username="tibbles")
        assert user.email == "tibbles@example.com"
        assert list(user.groups.all()) == [Group.objects.get(name=MEMBERS_GROUP)]
        self.screenshot(page, "signed-up-home-1280x900", full_page=False)
        assert self.page_errors == []

    def test_log_out_then_log_in_and_a_wrong_password(self):
        UserFactory(username="tibbles", display_name="Tibbles the Brave")
        page = self.new_page()
        self.log_in(page, "tibbles", PASSWORD)
        page.wait_for_url(f"{self.live_server_url}/")
        self.assert_logged_in_as(page, "Tibbles the Brave")

        self.log_out(page)

        self.log_in(page, "tibbles", "not my password")
        expect(page.locator("main .alert-danger")).to_contain_text("not correct")
        expect(page.locator("#account-menu")).to_have_count(0)
        assert page.url.startswith(f"{self.live_server_url}/accounts/login/")
        self.screenshot(page, "login-wrong-password-1280x900")

        self.log_in(page, "tibbles", PASSWORD)
        page.wait_for_url(f"{self.live_server_url}/")
        self.assert_logged_in_as(page, "Tibbles the Brave")
        assert self.page_errors == []
