"""Chat's one code path, and every rule of it.

The room page (form), the WebSocket consumer and the REST API (chat/api/) all go
through here: who may read a room, who may post, how a message is checked,
numbered, saved and broadcast, the rate limit, mutes, moderation, presence and
the one wire format of a message (``serialize_message``).
"""

import asyncio
import json
import logging
import math
import os
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer

from chat.models import (
    MAX_MESSAGE_LENGTH,
    MAX_REPORT_REASON_LENGTH,
    Message,
    MessageReport,
    Room,
    RoomMute,
)

HISTORY_LENGTH = 50  # messages a page or a client starts with
PAGE_LIMIT_MAX = 100  # most messages one API request returns
MAX_IDEMPOTENCY_KEY_LENGTH = 100
PRESENCE_TTL = 60  # seconds a connection counts as online without a heartbeat
PRESENCE_HEARTBEAT = 20  # how often a live connection renews its presence
MUTE_CACHE_SECONDS = 60
FRAME_MESSAGES = 20  # most messages one WebSocket frame carries
METRICS = ("messages_posted", "broadcast_failures", "dropped_deliveries")

logger = logging.getLogger(__name__)


# Errors


class ChatError(Exception):
    """A refused request, with a reason fit to show the sender and a stable code.

    Codes: not_found, login_required, not_authenticated, forbidden, archived,
    muted, empty, too_long, bad_text, rate_limited, idempotency_conflict,
    already_reported, own_message, deleted; the consumer adds unavailable (the
    database could not save a post).
    """

    def __init__(self, reason: str, code: str, *, retry_after: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.code = code
        self.retry_after = retry_after


# Who may read and post: the one rule


def readable_rooms(user):
    """Every room ``user`` may read (archived ones included)."""
    return Room.objects.visible_to(user)


def listed_rooms(user):
    """The rooms to show ``user`` in lists: readable and not archived."""
    return readable_rooms(user).listed().order_by("name")


def get_readable_room(user, slug: str) -> Room:
    """The room at ``slug`` if ``user`` may read it.

    Raises ChatError "not_found" for an unknown room, "login_required" for a
    members-only room and a visitor (the only room a signed-in member can't read
    is one that does not exist)."""
    room = readable_rooms(user).filter(slug=slug).first()
    if room is not None:
        return room
    if not user.is_authenticated and Room.objects.filter(slug=slug).exists():
        raise ChatError(
            "This room is for members: log in to read it.", "login_required"
        )
    raise ChatError("There is no such room.", "not_found")


def can_post(room: Room, user) -> bool:
    """Whether the page should offer ``user`` the form (post_message decides)."""
    return user.is_authenticated and user.is_active and not room.is_archived


def _check_poster(room: Room, user) -> None:
    if not user.is_authenticated:
        raise ChatError("Sign in to post messages.", "not_authenticated")
    if not user.is_active:
        raise ChatError("This account cannot post.", "forbidden")
    if room.is_archived:
        raise ChatError("This room is archived: it takes no new messages.", "archived")
    until = _muted_until(room, user)
    if until is not None:
        local = timezone.localtime(until)
        raise ChatError(
            f"A moderator muted you in this room until {local:%d %b %Y, %H:%M}.",
            "muted",
        )


def _muted_until(room: Room, user) -> datetime | None:
    """When the member's mute in the room ends, or None. Cached (a query per
    message otherwise); RoomMute.save and delete clear the entry, and it lives
    at most MUTE_CACHE_SECONDS in any case."""
    key = RoomMute.cache_key(room.pk, user.pk)
    cached = cache.get(key)
    if cached is None:
        until = (
            RoomMute.objects.active()
            .filter(room=room, user=user)
            .order_by("-until")
            .values_list("until", flat=True)
            .first()
        )
        cached = until.timestamp() if until else 0.0
        cache.set(key, cached, timeout=MUTE_CACHE_SECONDS)
    if cached <= time.time():
        return None
    return datetime.fromtimestamp(cached, tz=UTC)


# Text


def clean_text(
    value, *, what: str = "A message", max_length: int, strip: bool = True
) -> str:
    """``value`` as text a database stores and a page shows safely.

    NUL characters (PostgreSQL refuses them) and lone surrogates (not encodable
    as UTF-8; they come from JSON escapes like "\\ud800") are refused with
    ChatError "bad_text", as is anything that is not a string."""
    if not isinstance(value, str):
        raise ChatError(f"{what} must be text.", "bad_text")
    if "\x00" in value:
        raise ChatError(f"{what} can't contain NUL characters.", "bad_text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ChatError(
            f"{what} contains characters that are not valid Unicode text.", "bad_text"
        ) from None
    if strip:
        value = value.strip()
    if len(value) > max_length:
        raise ChatError(
            f"{what} can be at most {max_length} characters.",
            "too_long" if what == "A message" else "bad_text",
        )
    return value


def clean_idempotency_key(value: str | None) -> str:
    """An Idempotency-Key header: printable ASCII, at most 100 characters."""
    if not value:
        return ""
    if len(value) > MAX_IDEMPOTENCY_KEY_LENGTH or not all(
        "!" <= char <= "~" for char in value
    ):
        raise ChatError(
            "Idempotency-Key must be 1 to 100 printable ASCII characters without spaces.",
            "bad_idempotency_key",
        )
    return value


# The rate limit: an exact sliding window, shared by every process


@dataclass(frozen=True)
class RateLimit:
    messages: int
    seconds: int


def rate_limit() -> RateLimit:
    return RateLimit(*settings.CHAT_RATE_LIMIT)


def _check_rate(user) -> None:
    """At most N messages in any S seconds (CHAT_RATE_LIMIT = (N, S)): an exact
    sliding window, shared by every process through the cache.

    Each allowed message takes one of N slots in turn (a counter picks the next,
    round robin) with an expiry of S seconds. The slot a new message would take
    was last taken N messages ago; if it has not expired, those N messages all
    fall within the last S seconds, so this one is refused. Two cache calls per
    message (incr, add), both atomic in Redis and in the local-memory cache.
    A fixed window would let 2N through around a window boundary."""
    limit = rate_limit()
    counter = f"chat:rate:{user.pk}:next"
    cache.add(counter, 0, timeout=24 * 60 * 60)
    try:
        turn = cache.incr(counter)
    except ValueError:  # expired between add and incr: start the round again
        cache.set(counter, turn := 1, timeout=24 * 60 * 60)
    slot = f"chat:rate:{user.pk}:{turn % limit.messages}"
    now = time.time()
    if cache.add(slot, now + limit.seconds, timeout=limit.seconds):
        return
    cache.decr(counter)  # this turn was not used: the next try takes the same slot
    frees_at = cache.get(slot) or now
    raise ChatError(
        f"Slow down: at most {limit.messages} messages every {limit.seconds} seconds.",
        "rate_limited",
        retry_after=max(1, math.ceil(frees_at - now)),
    )


# Posting


@dataclass(frozen=True)
class Post:
    """One message a member asks to post (post_messages takes several)."""

    user: object
    body: object
    idempotency_key: str | None = ""


def post_message(
    room: Room, user, body, *, idempotency_key: str | None = ""
) -> Message:
    """Check, number, save and broadcast a message; raise ChatError when refused.

    With an ``idempotency_key``, a second call by the same author with the same
    key returns the first message (``message.replayed`` is True) instead of
    posting again, also when both calls race (a unique constraint decides)."""
    (result,) = post_messages(room, [Post(user, body, idempotency_key)])
    if isinstance(result, ChatError):
        raise result
    return result


def post_messages(room: Room, posts: list[Post]) -> list[Message | ChatError]:
    """Post several messages to a room at once, in their order: each is checked
    as post_message checks it, and those accepted are numbered and saved in one
    transaction (one seq UPDATE, one INSERT, one commit) and broadcast after it.

    Returns, for each post, its Message or the ChatError that refused it. The
    room's posts take turns on its row lock, so saving the ones waiting at a
    moment together is what lets a busy room keep up (chat.writer batches the
    WebSocket's posts this way)."""
    results: list[Message | ChatError | None] = [None] * len(posts)
    accepted: list[tuple[int, Post]] = []
    for index, post in enumerate(posts):
        try:
            checked = _check_post(room, post)
        except ChatError as error:
            results[index] = error
            continue
        if isinstance(checked, Message):
            results[index] = checked  # a replay: posted before
        else:
            accepted.append((index, checked))
    if accepted:
        saved = _save_all(room, [post for _, post in accepted])
        for (index, _), message in zip(accepted, saved, strict=True):
            results[index] = message
        payloads = [
            serialize_message(message)
            for message in saved
            if isinstance(message, Message) and not message.replayed
        ]
        if payloads:
            count("messages_posted", len(payloads))
            transaction.on_commit(lambda: broadcast_messages(room, payloads))
    return results


def _check_post(room: Room, post: Post) -> Post | Message:
    """The post with its text cleaned, or the message it already made (a retry
    with the same Idempotency-Key); ChatError if it is refused."""
    user = post.user
    if not user.is_authenticated:
        raise ChatError("Sign in to post messages.", "not_authenticated")
    body = clean_text(post.body, max_length=MAX_MESSAGE_LENGTH)
    if not body:
        raise ChatError("A message can't be empty.", "empty")
    key = clean_idempotency_key(post.idempotency_key)
    if key and (replay := _replay(room, user, body, key)):
        return replay
    _check_poster(room, user)
    _check_rate(user)
    return Post(user, body, key)


def _save_all(room: Room, posts: list[Post]) -> list[Message | ChatError]:
    """Save checked posts in one transaction, or one by one if an
    Idempotency-Key in the batch was taken meanwhile (a concurrent retry, or the
    same key twice in the batch): then the later ones are replays."""
    try:
        return _save(room, posts)
    except ChatError as error:  # archived meanwhile: none of them is saved
        return [error] * len(posts)
    except IntegrityError:
        if not any(post.idempotency_key for post in posts):
            raise
    return [_save_one(room, post) for post in posts]


def _save_one(room: Room, post: Post) -> Message | ChatError:
    try:
        (message,) = _save(room, [post])
        return message
    except ChatError as error:
        return error
    except IntegrityError:
        # A concurrent request with the same key won: its message is the answer.
        key = post.idempotency_key
        try:
            replay = key and _replay(room, post.user, post.body, key)
        except ChatError as error:
            return error
        if replay:
            return replay
        raise


def _replay(room: Room, user, body: str, key: str) -> Message | None:
    message = (
        Message.objects.select_related("author", "room")
        .filter(author=user, idempotency_key=key)
        .first()
    )
    if message is None:
        return None
    if message.room_id != room.pk or message.body != body:
        raise ChatError(
            "This Idempotency-Key was already used for a different message.",
            "idempotency_conflict",
        )
    message.replayed = True
    return message


def _save(
    room: Room, posts: list[Post], *, archived_too: bool = False
) -> list[Message]:
    """Number and save messages in one transaction: the UPDATE takes as many seqs
    as there are posts and locks the room's row (PostgreSQL) or the database
    (SQLite) until commit, so concurrent posts take turns and every seq is used
    exactly once."""
    with transaction.atomic():
        last = _take_seqs(room, len(posts), archived_too)
        if last is None:
            raise ChatError(
                "This room is archived: it takes no new messages.", "archived"
            )
        first = last - len(posts) + 1
        messages = Message.objects.bulk_create(
            Message(
                room=room,
                author=post.user,
                body=post.body,
                seq=first + offset,
                idempotency_key=post.idempotency_key or "",
            )
            for offset, post in enumerate(posts)
        )
    room.last_seq = last
    for message in messages:
        message.replayed = False
    return messages


def _take_seqs(room: Room, count: int, archived_too: bool) -> int | None:
    """Raise the room's last_seq by ``count`` and return it, in one statement
    (UPDATE … RETURNING, PostgreSQL and SQLite 3.35+); None if the room is
    archived."""
    table = connection.ops.quote_name(Room._meta.db_table)
    archived = "" if archived_too else " AND NOT is_archived"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_seq = last_seq + %s WHERE id = %s{archived} RETURNING last_seq",  # noqa: S608 - no user input in the SQL
            [count, room.pk],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def import_message(room: Room, author, body: str) -> Message:
    """Save a message without the member checks or a broadcast (demo data)."""
    (message,) = _save(room, [Post(author, body)], archived_too=True)
    return message


# The wire format: one serializer, one renderer


def render_message(message: Message) -> str:
    """The message's HTML, from the same template as the page's history."""
    return render_to_string("chat/_message.html", {"message": message}).strip()


def serialize_message(message: Message) -> dict:
    """A message as every client sees it: the WebSocket, the API, polling.

    ``html`` is rendered once here (chat/_message.html), so pages never rebuild
    a message in JavaScript. A deleted message keeps its seq with no content."""
    data = {
        "id": message.pk,
        "seq": message.seq,
        "room": message.room.slug,
        "created": message.created_at.isoformat(),
        "deleted": message.is_deleted,
    }
    if message.is_deleted:
        return data
    author = message.author
    return data | {
        "author": author.get_display_name(),
        "author_username": author.username,
        "author_url": author.get_absolute_url(),
        "author_avatar": author.avatar.url if author.avatar else "",
        "author_initials": author.initials,
        "author_hue": author.avatar_hue,
        "body": message.body,
        "html": render_message(message),
    }


def recent_messages(room: Room, limit: int = HISTORY_LENGTH) -> list[Message]:
    """The last ``limit`` messages, oldest first, deleted ones included (callers
    show them or not; their seq still counts)."""
    return messages_page(room, limit=limit)[0]


def messages_page(
    room: Room,
    *,
    after: int | None = None,
    before: int | None = None,
    limit: int = HISTORY_LENGTH,
) -> tuple[list[Message], bool]:
    """Messages oldest first, and whether more lie beyond them.

    ``after``: the ``limit`` messages just after that seq (polling, gap filling);
    ``before``: the ``limit`` just before it (history); neither: the newest."""
    limit = max(1, min(limit, PAGE_LIMIT_MAX))
    messages = room.messages.select_related("author")
    if after is not None:
        page = list(messages.filter(seq__gt=after).order_by("seq")[: limit + 1])
        has_more = len(page) > limit
        page = page[:limit]
    else:
        if before is not None:
            messages = messages.filter(seq__lt=before)
        page = list(messages.order_by("-seq")[: limit + 1])
        has_more = len(page) > limit
        page = list(reversed(page[:limit]))
    for message in page:
        message.room = room  # no query per message for the slug and the links
    return page, has_more


# Moderation


def delete_message(message: Message, by) -> bool:
    """Delete a message for everyone, keeping its seq; clients drop it live.
    Its open reports are resolved as deleted. False if it was already deleted."""
    with transaction.atomic():
        updated = Message.objects.filter(pk=message.pk, deleted_at=None).update(
            deleted_at=timezone.now(), deleted_by=by
        )
        if updated:
            MessageReport.objects.filter(message=message, resolved_at=None).update(
                resolution=MessageReport.Resolution.DELETED,
                resolved_at=timezone.now(),
                resolved_by=by,
            )
    if not updated:
        return False
    message.refresh_from_db(fields=["deleted_at", "deleted_by"])
    room = message.room
    event = {"type": "deleted", "id": message.pk, "seq": message.seq}
    transaction.on_commit(lambda: broadcast(room, "chat.deleted", event))
    return True


def report_message(message: Message, reporter, reason="") -> MessageReport:
    """A member reports a message to the moderators (once per message)."""
    if not reporter.is_authenticated:
        raise ChatError("Sign in to report messages.", "not_authenticated")
    reason = clean_text(
        reason or "", what="A reason", max_length=MAX_REPORT_REASON_LENGTH
    )
    if message.is_deleted:
        raise ChatError("This message was already removed.", "deleted")
    if message.author_id == reporter.pk:
        raise ChatError("You can't report your own message.", "own_message")
    try:
        with transaction.atomic():
            report = MessageReport.objects.create(
                message=message, reporter=reporter, reason=reason
            )
    except IntegrityError:
        raise ChatError(
            "You already reported this message.", "already_reported"
        ) from None
    logger.info(
        "Message %s in %s reported by %s",
        message.seq,
        message.room.slug,
        reporter.username,
    )
    return report


def resolve_report(report: MessageReport, by, *, delete: bool = False) -> None:
    """Close a report: dismiss it, or delete its message (which closes every
    open report of that message)."""
    if delete:
        delete_message(report.message, by)
        report.refresh_from_db()
        if report.is_open:  # the message was already deleted
            report.resolution = MessageReport.Resolution.DELETED
    else:
        report.resolution = MessageReport.Resolution.DISMISSED
    if report.is_open:
        report.resolved_at = timezone.now()
        report.resolved_by = by
        report.save(update_fields=["resolution", "resolved_at", "resolved_by"])


def mute_member(room: Room, user, until: datetime, by, reason: str = "") -> RoomMute:
    return RoomMute.objects.create(
        room=room, user=user, until=until, created_by=by, reason=reason
    )


# Broadcasting


def room_group_name(room: Room) -> str:
    return f"chat.room.{room.pk}"


def broadcast_messages(room: Room, payloads: list[dict]) -> None:
    """Send messages saved together to the room's live clients together: one
    channel-layer event, and one frame per FRAME_MESSAGES of them ("message"
    for a single one, "messages" for several, in seq order), each serialized
    once for every client. A busy room's clients get fewer, fuller frames."""
    frames = []
    for start in range(0, len(payloads), FRAME_MESSAGES):
        chunk = payloads[start : start + FRAME_MESSAGES]
        frame = (
            {"type": "message", "message": chunk[0]}
            if len(chunk) == 1
            else {"type": "messages", "messages": chunk}
        )
        frames.append(
            {"seqs": [payload["seq"] for payload in chunk], "text": json.dumps(frame)}
        )
    _group_send(room, {"type": "chat.messages", "frames": frames})


def broadcast(room: Room, event_type: str, frame: dict, **extra) -> None:
    """Send ``frame`` (JSON) to every live client of the room."""
    _group_send(room, {"type": event_type, "text": json.dumps(frame), **extra})


def _group_send(room: Room, event: dict) -> None:
    """The message is already stored, so a channel layer that is down costs only
    the live update: clients fill the gap by seq from the API.

    Called from one of the ASGI server's sync threads (the consumer's and the
    API's database work), the send is handed to the server's event loop without
    waiting for it: that thread is the one every database call of the process
    queues for, and it would otherwise idle until 50 deliveries were queued."""
    group = room_group_name(room)
    try:
        layer = get_channel_layer()
        loop = _server_event_loop()
        if loop is None:
            async_to_sync(layer.group_send)(group, event)
            return
        future = asyncio.run_coroutine_threadsafe(
            _send_in_order(layer, group, event), loop
        )
    except Exception:
        _broadcast_failed(room, event)
        return

    def check(done):
        if not done.cancelled() and done.exception() is not None:
            _broadcast_failed(room, event, done.exception())

    future.add_done_callback(check)


_send_locks: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Lock]]" = weakref.WeakKeyDictionary()


async def _send_in_order(layer, group: str, event: dict) -> None:
    """group_send, one at a time per room and process, in the order they were
    handed over: a send on channels-redis takes several round trips, and one
    started later could otherwise arrive first (the writer's batches follow
    each other closely). The lock's waiters are served first come, first served."""
    locks = _send_locks.setdefault(asyncio.get_running_loop(), {})
    lock = locks.setdefault(group, asyncio.Lock())
    async with lock:
        await layer.group_send(group, event)


def _server_event_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop of the ASGI server when called from its sync_to_async
    thread, found the way asgiref's own AsyncToSync finds it."""
    threadlocal = SyncToAsync.threadlocal
    if getattr(threadlocal, "main_event_loop_pid", None) != os.getpid():
        return None
    loop = getattr(threadlocal, "main_event_loop", None)
    return loop if loop is not None and loop.is_running() else None


def _broadcast_failed(room: Room, event: dict, error: BaseException | None = None):
    count("broadcast_failures")
    seqs = [seq for frame in event.get("frames", []) for seq in frame["seqs"]]
    logger.error(
        "Could not broadcast %s (seq %s) to room %s",
        event["type"],
        ", ".join(map(str, seqs)) or "-",
        room.slug,
        exc_info=error or True,
    )


# Presence: who is in a room, in the cache (Redis across processes) with expiry


def _presence_key(room: Room) -> str:
    return f"chat:presence:{room.pk}"


@contextmanager
def _cache_lock(key: str, wait: float = 1.0) -> Iterator[None]:
    """A short lock in the cache (atomic add). If it can't be had in time the
    caller goes ahead: presence is refreshed every heartbeat, so a lost update
    heals itself."""
    lock = f"{key}:lock"
    deadline = time.monotonic() + wait
    acquired = cache.add(lock, 1, timeout=5)
    while not acquired and time.monotonic() < deadline:
        time.sleep(0.005)
        acquired = cache.add(lock, 1, timeout=5)
    try:
        yield
    finally:
        if acquired:
            cache.delete(lock)


def _online(entries: dict, now: float) -> list[dict]:
    members = {}
    for user_id, name, url, expires in entries.values():
        if expires > now:
            members[user_id] = {"name": name, "url": url}
    return sorted(members.values(), key=lambda member: member["name"].lower())


def _update_presence(room: Room, change) -> tuple[list[dict], bool]:
    key = _presence_key(room)
    with _cache_lock(key):
        now = time.time()
        entries = cache.get(key) or {}
        before = _online(entries, now)
        entries = {
            conn: entry for conn, entry in entries.items() if entry[3] > now
        }  # forget expired connections (a crashed process leaves some)
        change(entries, now)
        cache.set(key, entries, timeout=PRESENCE_TTL * 2)
    after = _online(entries, now)
    return after, after != before


def presence_join(room: Room, user, connection: str) -> tuple[list[dict], bool]:
    """Mark ``connection`` of ``user`` online (also the heartbeat).
    Returns who is online and whether that changed."""
    if not user.is_authenticated:
        return online_members(room), False

    def add(entries, now):
        entries[connection] = (
            user.pk,
            user.get_display_name(),
            user.get_absolute_url(),
            now + PRESENCE_TTL,
        )

    return _update_presence(room, add)


def presence_leave(room: Room, connection: str) -> tuple[list[dict], bool]:
    return _update_presence(room, lambda entries, now: entries.pop(connection, None))


def online_members(room: Room) -> list[dict]:
    """Signed-in members with a live connection (or a recent poll) to the room."""
    return _online(cache.get(_presence_key(room)) or {}, time.time())


def broadcast_presence(room: Room, online: list[dict]) -> None:
    broadcast(room, "chat.presence", {"type": "presence", "online": online})


def touch_poller_presence(room: Room, user) -> None:
    """A member who polls the API (no WebSocket) counts as online too."""
    online, changed = presence_join(room, user, f"poll:{user.pk}")
    if changed:
        broadcast_presence(room, online)


# Metrics: counters in the cache, so every process adds to the same ones


def count(name: str, amount: int = 1) -> None:
    key = f"chat:metrics:{name}"
    try:
        cache.add(key, 0, timeout=None)
        cache.incr(key, amount)
    except ValueError:  # evicted between add and incr
        cache.set(key, amount, timeout=None)


def metrics() -> dict[str, int]:
    values = cache.get_many([f"chat:metrics:{name}" for name in METRICS])
    return {name: values.get(f"chat:metrics:{name}", 0) for name in METRICS}
