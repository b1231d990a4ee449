#!/usr/bin/env python3
"""Post a message to a Whiskers chat room every N seconds, through the REST API.

    WHISKERS_TOKEN=<your token> python scripts/chat_bot.py \\
        --url http://127.0.0.1:8000 --room general --every 10 --message "Feeding time!"

Make a token on your profile page (/accounts/profile/), or as an admin with
`python manage.py drf_create_token <username>`. "{n}" and "{time}" in the message
become the post's number and the time.

Each post has its own Idempotency-Key, kept for every retry: when an answer is
lost (timeout, dropped connection, 5xx), the retry cannot post twice. A 429
waits as long as Retry-After says. Ctrl-C (or SIGTERM) stops cleanly.

Standard library only: copy this file anywhere with Python 3.9+.
"""

import argparse
import json
import logging
import os
import random
import signal
import sys
import time
import urllib.error
import urllib.request
import uuid
from urllib.parse import quote

log = logging.getLogger("chat_bot")

USER_AGENT = "whiskers-chat-bot/1.0"
FATAL = {400, 401, 403, 404, 409, 410, 413, 415}


class Fatal(Exception):
    """An answer no retry will change (bad token, unknown room, refused text)."""


class GaveUp(Exception):
    """Every try failed (server down, network gone): skip this post, keep going."""


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--url", required=True, help="the site, e.g. http://127.0.0.1:8000"
    )
    parser.add_argument("--room", required=True, help="the room's slug, e.g. general")
    parser.add_argument(
        "--message", required=True, help='the text; "{n}" and "{time}" are filled in'
    )
    parser.add_argument(
        "--every", type=float, default=60, help="seconds between posts (default 60)"
    )
    parser.add_argument(
        "--count",
        type=int,
        default=0,
        help="stop after this many posts (default: never)",
    )
    parser.add_argument(
        "--token",
        default=os.environ.get("WHISKERS_TOKEN", ""),
        help="API token (default: $WHISKERS_TOKEN)",
    )
    parser.add_argument(
        "--retries", type=int, default=6, help="tries per post on errors (default 6)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=10,
        help="seconds to wait for an answer (default 10)",
    )
    args = parser.parse_args(argv)
    if not args.token:
        parser.error(
            "no token: set WHISKERS_TOKEN or pass --token (make one on /accounts/profile/)"
        )
    if args.every <= 0:
        parser.error("--every must be more than 0 seconds")
    return args


def backoff(attempt: int) -> float:
    """1, 2, 4, 8… seconds (at most 60), with jitter so bots don't retry in step."""
    return min(60.0, 2.0**attempt) * random.uniform(0.8, 1.2)  # noqa: S311 - jitter, not a secret


def post_once(
    url: str, token: str, body: str, key: str, timeout: float
) -> tuple[int, dict, dict]:
    request = urllib.request.Request(  # noqa: S310 - the URL is the user's own site
        url,
        data=json.dumps({"body": body}).encode(),
        method="POST",
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Idempotency-Key": key,
            "User-Agent": USER_AGENT,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, json.load(response), dict(response.headers)
    except urllib.error.HTTPError as error:
        try:
            data = json.load(error)
        except ValueError:
            data = {}
        return error.code, data, dict(error.headers)


def post(args, body: str) -> dict:
    """Post ``body``, retrying with the same Idempotency-Key; the message's data."""
    url = f"{args.url.rstrip('/')}/api/chat/rooms/{quote(args.room, safe='')}/messages/"
    key = str(uuid.uuid4())
    for attempt in range(args.retries):
        try:
            status, data, headers = post_once(url, args.token, body, key, args.timeout)
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            wait = backoff(attempt)
            log.warning(
                "no answer (%s); retrying in %.1f s",
                getattr(error, "reason", error),
                wait,
            )
            time.sleep(wait)
            continue
        if status in (200, 201):
            return data
        reason = data.get("error") or f"HTTP {status}"
        if status in FATAL:
            raise Fatal(f"{reason} (HTTP {status})")
        if status == 429:
            wait = float(headers.get("Retry-After") or backoff(attempt))
            log.warning(
                "rate limited: %s; waiting %.0f s as the server asks", reason, wait
            )
        else:
            wait = backoff(attempt)
            log.warning("%s; retrying in %.1f s", reason, wait)
        time.sleep(wait)
    raise GaveUp(f"gave up after {args.retries} tries")


def run(args) -> int:
    number = 0
    next_at = time.monotonic()
    while not args.count or number < args.count:
        number += 1
        body = args.message.replace("{n}", str(number)).replace(
            "{time}", time.strftime("%H:%M:%S")
        )
        try:
            data = post(args, body)
        except Fatal as error:
            log.error("post %d refused: %s", number, error)
            return 1
        except GaveUp as error:
            log.error(
                "post %d not sent: %s; trying again at the next one", number, error
            )
        else:
            log.info(
                "posted #%s in %s: %s",
                data.get("seq"),
                args.room,
                data.get("body", body),
            )
        next_at += args.every
        if args.count and number >= args.count:
            break
        time.sleep(max(0.0, next_at - time.monotonic()))
    return 0


def main(argv=None) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s"
    )
    args = parse_args(argv)
    # SIGTERM (a service manager stopping us) stops as cleanly as Ctrl-C.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    log.info(
        "posting to %s in room %s every %g s (Ctrl-C stops)",
        args.url,
        args.room,
        args.every,
    )
    try:
        return run(args)
    except KeyboardInterrupt:
        log.info("stopped")
        return 0


if __name__ == "__main__":
    sys.exit(main())
