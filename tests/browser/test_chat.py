"""Live chat between two members, each in their own browser context."""

from playwright.sync_api import Page, expect

from chat.models import Message
from tests.browser.base import BrowserTestCase

# Elements the message's markup would have created, had it been parsed as HTML.
BOLD_OR_ITALIC = "#chat-log .chat-body b, #chat-log .chat-body i"


class ChatTests(BrowserTestCase):
    demo_data = True

    def open_room_as(self, username: str, display_name: str) -> Page:
        page = self.new_page()
        self.log_in(page, username, self.demo_password)
        page.wait_for_url(f"{self.live_server_url}/")
        self.assert_logged_in_as(page, display_name)
        page.goto("/chat/general/")
        expect(page.locator("h1")).to_have_text("General")
        expect(page.locator("#chat-status")).to_contain_text("Live")
        return page

    def send(self, page: Page, text: str) -> None:
        box = page.locator("#chat-form textarea")
        box.fill(text)
        box.press("Enter")
        expect(box).to_have_value("")

    def test_a_message_reaches_the_other_member_live(self):
        wendy = self.open_room_as("wendy", "Wendy Whiskerfan")
        percy = self.open_room_as("percy", "Percy Purrfect")
        # A page reload (or the form's plain POST fallback) would lose these.
        for page in (wendy, percy):
            page.evaluate("window.stillTheSamePage = true")
        text = "Has anyone seen a grey tabby near the bakery?"

        self.send(wendy, text)

        arrived = percy.locator("#chat-log .chat-message").filter(has_text=text)
        expect(arrived).to_have_count(1)
        expect(arrived).to_contain_text("Wendy Whiskerfan")
        expect(
            wendy.locator("#chat-log .chat-message").filter(has_text=text)
        ).to_have_count(1)
        for page in (wendy, percy):
            assert page.evaluate("window.stillTheSamePage") is True
        assert Message.objects.filter(body=text).count() == 1
        message = Message.objects.select_related("author", "room").get(body=text)
        assert (message.author.username, message.room.slug) == ("wendy", "general")
        self.screenshot(percy, "chat-general-percy-1280x900")
        assert self.page_errors == []

    def test_html_in_a_message_shows_as_text(self):
        wendy = self.open_room_as("wendy", "Wendy Whiskerfan")
        percy = self.open_room_as("percy", "Percy Purrfect")
        text = "This is <b>bold</b> & <i>sneaky</i>"

        self.send(wendy, text)

        body = percy.locator("#chat-log .chat-body").filter(
            has_text="This is <b>bold</b>"
        )
        expect(body).to_have_count(1)
        expect(body).to_have_text(text)
        assert percy.locator(BOLD_OR_ITALIC).count() == 0
        assert list(
            Message.objects.filter(body=text).values_list("body", flat=True)
        ) == [text]

        # And after a reload, the server-rendered history escapes it too.
        percy.reload()
        expect(
            percy.locator("#chat-log .chat-body").filter(has_text="<b>bold</b>")
        ).to_have_text(text)
        assert percy.locator(BOLD_OR_ITALIC).count() == 0
        assert self.page_errors == []
