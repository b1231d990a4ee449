"""Live chat between two members, each in their own browser context, while the
bot posts through the API; one page loses its WebSocket and keeps up by polling."""

import subprocess
import sys
import time

from playwright.sync_api import Page, expect
from rest_framework.authtoken.models import Token

from chat import services
from chat.models import Message, Room
from home.demo import content
from tests.browser.base import BrowserTestCase
from tests.processes import ROOT

# A test hook in the page, not in chat.js: while window.chatSocketsBlocked is true,
# new WebSockets go to an address of the site that has no socket (as when a proxy
# refuses the upgrade: an error and a close, never an open; the site's CSP allows
# only its own origin); chatCutSockets() drops the open ones. chatBatchFrames
# counts the "messages" frames (several messages saved together) the page got.
SOCKET_HOOK = """
(() => {
  const RealWebSocket = window.WebSocket;
  const open = [];
  window.chatSocketsBlocked = false;
  window.chatSocketCount = 0;
  window.chatBatchFrames = 0;
  window.chatCutSockets = () => open.splice(0).forEach((socket) => socket.close());
  window.WebSocket = class extends RealWebSocket {
    constructor(url, protocols) {
      super(window.chatSocketsBlocked ? `ws://${location.host}/ws/blocked/` : url, protocols);
      open.push(this);
      window.chatSocketCount += 1;
      this.addEventListener("message", (event) => {
        if (JSON.parse(event.data).type === "messages") window.chatBatchFrames += 1;
      });
    }
  };
})();
"""
# A second socket in the page that sends several messages in one go.
SEND_BURST = """
(bodies) => new Promise((resolve) => {
  const path = document.querySelector("[data-socket-path]").dataset.socketPath;
  const socket = new WebSocket(`ws://${location.host}${path}`);
  socket.addEventListener("open", () => {
    bodies.forEach((body) => socket.send(JSON.stringify({ body })));
    resolve();
  });
})
"""
PHONE = (390, 844)

# Elements the message's markup would have created, had it been parsed as HTML.
BOLD_OR_ITALIC = "#chat-log .chat-body b, #chat-log .chat-body i"


class ChatTests(BrowserTestCase):
    demo_data = True

    def open_room_as(
        self, username: str, display_name: str, width=1280, height=900, hook=False
    ) -> Page:
        page = self.new_page(width, height)
        if hook:
            page.add_init_script(SOCKET_HOOK)
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

    def test_messages_sent_in_a_burst_show_once_in_order(self):
        wendy = self.open_room_as("wendy", "Wendy Whiskerfan")
        percy = self.open_room_as("percy", "Percy Purrfect", hook=True)
        percy.evaluate("window.stillTheSamePage = true")
        burst = [f"Burst {number}: the treats are out" for number in range(8)]

        wendy.evaluate(SEND_BURST, burst)

        for body in burst:
            expect(percy.locator(".chat-message", has_text=body)).to_have_count(1)
        room = Room.objects.get(slug="general")
        assert self.shown_seqs(percy) == list(
            room.messages.order_by("seq").values_list("seq", flat=True)
        )
        # The posts waiting while the first was saved were saved together and
        # came as one "messages" frame, which the page shows message by message.
        assert percy.evaluate("window.chatBatchFrames") >= 1
        assert percy.evaluate("window.stillTheSamePage") is True
        assert self.page_errors == []

    def shown_seqs(self, page: Page) -> list[int]:
        return [
            int(seq)
            for seq in page.locator("#chat-log .chat-message").evaluate_all(
                "(rows) => rows.map((row) => row.dataset.seq)"
            )
        ]

    def start_bot(self, count: int, every: float) -> subprocess.Popen:
        token = Token.objects.get(user__username=content.BOT.username)
        return subprocess.Popen(  # noqa: S603 - our own script
            [
                sys.executable,
                str(ROOT / "scripts" / "chat_bot.py"),
                "--url",
                self.live_server_url,
                "--room",
                "general",
                "--every",
                str(every),
                "--count",
                str(count),
                "--message",
                "Beep {n}: fresh water in the bowls",
            ],  # fmt: skip
            env={"WHISKERS_TOKEN": token.key, "PATH": "/usr/bin:/bin"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def test_a_page_without_its_socket_keeps_up_by_polling_then_goes_live(self):
        wendy = self.open_room_as("wendy", "Wendy Whiskerfan")
        percy = self.open_room_as("percy", "Percy Purrfect", hook=True)
        for page in (wendy, percy):
            page.evaluate("window.stillTheSamePage = true")
        bot = self.start_bot(count=8, every=1.5)

        self.send(wendy, "Before the cut")
        expect(percy.locator(".chat-message", has_text="Before the cut")).to_have_count(
            1
        )
        expect(percy.locator("#chat-online")).to_contain_text("Wendy Whiskerfan")

        # Percy's WebSocket is cut and can't come back: the page polls by itself.
        percy.evaluate("window.chatSocketsBlocked = true; window.chatCutSockets()")
        expect(percy.locator("#chat-status")).to_have_attribute("data-mode", "polling")
        expect(percy.locator("#chat-status")).to_have_text("Polling")
        self.send(wendy, "While Percy polls")
        expect(
            percy.locator(".chat-message", has_text="While Percy polls")
        ).to_have_count(1)
        self.send(percy, "Percy, posting while polling")
        expect(
            wendy.locator(".chat-message", has_text="Percy, posting while polling")
        ).to_have_count(1)
        expect(
            percy.locator(".chat-message", has_text="Percy, posting while polling")
        ).to_have_count(1)
        self.screenshot(percy, "chat-polling-1280x900", full_page=False)

        # The socket is allowed again: the page reconnects and goes live.
        percy.evaluate("window.chatSocketsBlocked = false")
        expect(percy.locator("#chat-status")).to_have_text("Live", timeout=40_000)
        # A live delivery lost on the way (saved, never broadcast): the next
        # message shows the gap, and both pages fetch the missing seq.
        room = Room.objects.get(slug="general")
        services.import_message(room, room.messages.last().author, "Never sent live")
        self.send(wendy, "After the reconnect")
        for page in (wendy, percy):
            expect(
                page.locator(".chat-message", has_text="Never sent live")
            ).to_have_count(1)
        expect(
            percy.locator(".chat-message", has_text="After the reconnect")
        ).to_have_count(1)

        output, _ = bot.communicate(timeout=60)
        assert bot.returncode == 0, output
        room = Room.objects.get(slug="general")
        expected = list(room.messages.order_by("seq").values_list("seq", flat=True))
        assert len(expected) == room.last_seq == len(content.ROOMS[0].messages) + 5 + 8
        for page in (wendy, percy):
            expect(page.locator(".chat-message", has_text="Beep 8:")).to_have_count(1)
            # Every message exactly once, in order: no gap, no repeat.
            assert self.shown_seqs(page) == expected
            assert page.evaluate("window.stillTheSamePage") is True
        self.screenshot(wendy, "chat-live-with-bot-1280x900", full_page=False)
        assert self.page_errors == []

    def test_phone_layout_live_and_polling(self):
        width, height = PHONE
        percy = self.open_room_as("percy", "Percy Purrfect", width, height, hook=True)
        wendy = self.open_room_as("wendy", "Wendy Whiskerfan")
        expect(percy.locator("#chat-online")).to_contain_text("Wendy Whiskerfan")
        wendy.locator("#chat-form textarea").press_sequentially("typing…", delay=20)
        expect(percy.locator("#chat-typing")).to_have_text(
            "Wendy Whiskerfan is typing…"
        )
        self.screenshot(percy, "chat-typing-390x844", full_page=False)
        self.send(
            wendy,
            "A long message to see how it wraps on a phone: https://example.com/a/rather/long/link/to/some/cat/pictures?page=2",
        )
        expect(
            percy.locator(".chat-message", has_text="wraps on a phone")
        ).to_have_count(1)
        expect(percy.locator("#chat-typing")).to_have_text("")  # her message arrived
        scroll_width = percy.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{scroll_width}px wide at {width}px"
        self.screenshot(percy, "chat-live-390x844", full_page=False)

        percy.evaluate("window.chatSocketsBlocked = true; window.chatCutSockets()")
        expect(percy.locator("#chat-status")).to_have_text("Polling")
        self.screenshot(percy, "chat-polling-390x844", full_page=False)
        assert self.page_errors == []

    def test_load_older_and_a_refused_room(self):
        room = Room.objects.get(slug="general")
        wendy_user = room.messages.first().author
        for number in range(60):
            services.import_message(room, wendy_user, f"History {number}")
        page = self.open_room_as("percy", "Percy Purrfect", hook=True)
        assert len(self.shown_seqs(page)) == 50
        page.get_by_role("button", name="Load older messages").click()
        expect(page.locator("#chat-log .chat-message")).to_have_count(room.last_seq)
        assert self.shown_seqs(page) == list(range(1, room.last_seq + 1))
        expect(page.get_by_role("button", name="Load older messages")).to_be_hidden()

        # The room goes away: the reconnect is refused with 4404, and the page
        # stops and says why (it used to retry every 30 s for ever).
        room.delete()
        page.evaluate("window.chatCutSockets()")
        expect(page.locator("#chat-status")).to_have_text("Not available")
        expect(page.locator("#chat-error")).to_have_text("There is no such room.")
        attempts = page.evaluate("window.chatSocketCount")
        time.sleep(3)
        assert page.evaluate("window.chatSocketCount") == attempts
        expect(page.locator("#chat-form textarea")).to_be_disabled()
        assert self.page_errors == []
