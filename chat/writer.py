"""The WebSocket's posts, saved a batch at a time per room and process.

A room's posts take turns on its row (the seq UPDATE locks it until commit), so
saving them one transaction each caps a busy room at one commit per message.
Here each process keeps one writer per room: a post joins the room's queue, and
while one batch is being saved the next posts wait and then go together through
chat.services.post_messages (every check per post, then one seq UPDATE, one
INSERT, one commit). A quiet room's batch is one message, saved at once: no
timer, no added wait.
"""

import asyncio
import contextlib
import threading
import weakref

from django.db import close_old_connections

from channels.db import database_sync_to_async

from chat import services
from chat.models import Room

MAX_BATCH = 100  # posts saved in one transaction at most


class RoomWriter:
    """One room's posts in one process (and event loop), saved in a worker
    thread that goes from batch to batch until the queue is empty, so saving
    the next batch overlaps delivering the last one on the event loop."""

    def __init__(self, room: Room):
        self.room = room
        self.lock = threading.Lock()
        self.queue: list[tuple[services.Post, asyncio.Future]] = []
        self.task: asyncio.Task | None = None  # the worker thread's, while it runs

    def submit(self, post: services.Post) -> asyncio.Future:
        """Queue ``post``; the future gets its Message or its ChatError. Posts
        are saved in the order they were submitted."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        with self.lock:
            self.queue.append((post, future))
            if self.task is None:
                save = database_sync_to_async(self.save_queued, thread_sensitive=False)
                self.task = loop.create_task(save(loop))
        return future

    def save_queued(self, loop: asyncio.AbstractEventLoop) -> None:
        """In a worker thread (with its own database connection, not the one
        sync thread every other connection's database work queues for)."""
        while True:
            with self.lock:
                batch, self.queue = self.queue[:MAX_BATCH], self.queue[MAX_BATCH:]
                if not batch:
                    self.task = None
                    return
            try:
                results = services.post_messages(self.room, [post for post, _ in batch])
            except Exception as error:  # the database is down, say
                results = [error] * len(batch)
                close_old_connections()  # a broken connection is not reused
            # A closed loop (a test that ended) has nobody waiting for these.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(settle, batch, results)


def settle(batch, results) -> None:
    for (_, future), result in zip(batch, results, strict=True):
        if future.done():
            continue
        if isinstance(result, BaseException):
            future.set_exception(result)
        else:
            future.set_result(result)


_writers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, RoomWriter]]" = weakref.WeakKeyDictionary()


def room_writer(room: Room) -> RoomWriter:
    """This event loop's writer for ``room`` (a process runs one loop; tests
    run several)."""
    writers = _writers.setdefault(asyncio.get_running_loop(), {})
    writer = writers.get(room.pk)
    if writer is None:
        writer = writers[room.pk] = RoomWriter(room)
    return writer
