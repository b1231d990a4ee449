"""One channel-layer subscription per room per process, fanned out locally.

With a channel per WebSocket, a message to a room of 50 is 50 channel-layer sends
and 50 receives (50 Redis round trips on channels-redis, and an O(channels) sweep
per receive on the in-memory layer). Here each process joins the room's group
once, with one channel, and hands every event to the room's consumers in that
process: one send per process, one receive, then plain method calls.

Live deliveries the layer dropped (a full channel drops without a sign) show as
a gap in the seqs of "chat.messages" events (one per save): they are logged and counted
(chat.services.count("dropped_deliveries")), and clients fill them from the API.
"""

import asyncio
import contextlib
import logging
import time
import weakref

from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

GAP_GRACE = 5.0  # seconds a missing seq may still arrive (out of order) before it counts as dropped
MAX_TRACKED_GAP = 1000


class RoomFeed:
    """A room's events in this process, for the consumers that joined it."""

    def __init__(self, group: str, on_drop):
        self.group = group
        self.on_drop = on_drop
        self.members: set = set()
        self.layer = get_channel_layer()
        self.channel: str | None = None
        self.ready = asyncio.get_running_loop().create_future()
        self.task: asyncio.Task | None = None
        self.last_seq: int | None = None
        self.missing: dict[int, float] = {}

    async def start(self) -> None:
        try:
            self.channel = await self.layer.new_channel()
            await self.layer.group_add(self.group, self.channel)
            self.task = asyncio.create_task(self.pump())
        except BaseException as error:
            self.ready.set_exception(error)
            raise
        self.ready.set_result(None)

    async def stop(self) -> None:
        if self.task is not None:
            # Wait for it to end: a receive cut off mid-way would leave the
            # layer's receive lock held (channels-redis).
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
        if self.channel is not None:
            await self.layer.group_discard(self.group, self.channel)
        self.count_dropped(float("inf"))

    async def pump(self) -> None:
        while True:
            event = await self.layer.receive(self.channel)
            if event.get("type") == "chat.messages":  # the messages of one save
                for frame in event["frames"]:
                    for seq in frame["seqs"]:
                        self.note_seq(seq)
                    await self.deliver(frame)
            else:
                await self.deliver(event)

    async def deliver(self, event: dict) -> None:
        for consumer in list(self.members):
            try:
                await consumer.deliver(event)
            except Exception:
                logger.exception("Could not deliver to %s", consumer.channel_name)
                self.members.discard(consumer)

    def note_seq(self, seq: int) -> None:
        now = time.monotonic()
        if self.last_seq is not None and seq > self.last_seq + 1:
            for missing in range(
                self.last_seq + 1, min(seq, self.last_seq + 1 + MAX_TRACKED_GAP)
            ):
                self.missing[missing] = now
        self.missing.pop(seq, None)
        self.last_seq = seq if self.last_seq is None else max(self.last_seq, seq)
        if self.missing:
            self.count_dropped(now - GAP_GRACE)

    def count_dropped(self, noticed_before: float) -> None:
        """Seqs missing since before ``noticed_before`` were dropped, not late."""
        dropped = [seq for seq, at in self.missing.items() if at <= noticed_before]
        if not dropped:
            return
        for seq in dropped:
            del self.missing[seq]
        deliveries = len(dropped) * max(len(self.members), 1)
        logger.warning(
            "Dropped %d live messages (%d deliveries) to %s in this process (seq %d-%d); clients fill them from the API",
            len(dropped),
            deliveries,
            self.group,
            min(dropped),
            max(dropped),
        )
        self.on_drop(deliveries)


class Fanout:
    """The room feeds of one event loop (one per process; one per test loop)."""

    def __init__(self):
        self.feeds: dict[str, RoomFeed] = {}

    async def join(self, group: str, consumer, on_drop) -> RoomFeed:
        """Add ``consumer`` to the room; returns once the process is subscribed,
        so every event sent after this reaches the consumer."""
        feed = self.feeds.get(group)
        if feed is None:
            feed = self.feeds[group] = RoomFeed(group, on_drop)
            feed.members.add(consumer)
            try:
                await feed.start()
            except BaseException:
                self.feeds.pop(group, None)
                raise
        else:
            feed.members.add(consumer)
            await asyncio.shield(feed.ready)
        return feed

    async def leave(self, group: str, consumer) -> None:
        feed = self.feeds.get(group)
        if feed is None:
            return
        feed.members.discard(consumer)
        if not feed.members:
            del self.feeds[group]
            await feed.stop()

    def dropped_check(self) -> None:
        """Count gaps that stayed open past the grace period (called now and then)."""
        cutoff = time.monotonic() - GAP_GRACE
        for feed in self.feeds.values():
            feed.count_dropped(cutoff)


_fanouts: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Fanout]" = (
    weakref.WeakKeyDictionary()
)


def fanout() -> Fanout:
    """This event loop's fan-out (a process runs one loop; tests run several)."""
    loop = asyncio.get_running_loop()
    if loop not in _fanouts:
        _fanouts[loop] = Fanout()
    return _fanouts[loop]
