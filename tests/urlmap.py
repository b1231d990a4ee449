"""Every URL pattern of the site, as a concrete path to request.

Route parameters become sample values ("<int:pk>" -> 1); regex patterns get a
sample built from the groups Wagtail uses. A path that does not resolve back to
the pattern it came from is left out and counted, so tests can say how many
patterns they reached.
"""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

SAMPLES = {
    "int": "1",
    "str": "sample",
    "slug": "sample",
    "path": "sample/path",
    "uuid": "12345678-1234-5678-1234-567812345678",
}
ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
REGEX_GROUPS = [
    (re.compile(r"\(\?P<\w+>\\d\+\)"), "1"),
    (re.compile(r"\(\?P<\w+>[^)]*\)"), "sample"),
    (re.compile(r"\(\(\?:\[\\w\\-\]\+/\)\*\)"), ""),
    (re.compile(r"\([^)]*\)\??"), ""),
]


@dataclass(frozen=True)
class SamplePath:
    path: str
    pattern: str
    view: str  # the module and name of the view function or class


def _route_sample(route: str) -> str:
    return ROUTE_PARAM.sub(
        lambda m: SAMPLES.get(m["converter"] or "str", "sample"), route
    )


def _regex_sample(regex: str) -> str:
    sample = regex.lstrip("^").rstrip("$").replace("\\Z", "")
    for pattern, value in REGEX_GROUPS:
        sample = pattern.sub(value, sample)
    sample = sample.replace("\\.", ".").replace("\\-", "-").replace("?", "")
    return sample


def _view_name(callback) -> str:
    view = (
        getattr(callback, "view_class", None)
        or getattr(callback, "cls", None)
        or callback
    )
    return f"{view.__module__}.{getattr(view, '__qualname__', type(view).__name__)}"


def _walk(patterns, prefix=""):
    for entry in patterns:
        pattern = entry.pattern
        raw = getattr(pattern, "_route", None)
        piece = (
            _route_sample(raw)
            if raw is not None
            else _regex_sample(pattern.regex.pattern)
        )
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + piece)
        elif isinstance(entry, URLPattern):
            yield prefix + piece, str(pattern), entry.callback


def sample_paths() -> tuple[list[SamplePath], int]:
    """(every pattern that a sample path reaches, how many could not be reached)."""
    found, missed, seen = [], 0, set()
    for path, pattern, callback in _walk(get_resolver().url_patterns):
        path = "/" + path.lstrip("/")
        try:
            match = resolve(path)
        except Resolver404:
            missed += 1
            continue
        if match.func is not callback or path in seen:
            missed += 1
            continue
        seen.add(path)
        found.append(SamplePath(path, pattern, _view_name(callback)))
    return found, missed
