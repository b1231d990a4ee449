"""Reading what the Wagtail admin shows on a page."""

import re
from html import unescape


def header_title(html: str) -> str:
    """The last breadcrumb: what the admin's header shows as the page's title."""
    nav = re.search(r'<nav[^>]*aria-label="Breadcrumb".*?</nav>', html, re.S)
    assert nav, "no breadcrumbs in the header"
    last = re.findall(r"<li[^>]*>(.*?)</li>", nav.group(0), re.S)[-1]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", last)).split())


def heading(html: str) -> str:
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", h1.group(1))).split())
