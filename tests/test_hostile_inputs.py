"""Hostile strings in every query parameter and form of the URL map never 500.

Walks every URL pattern (tests/urlmap.py) with the demo content loaded, as a
reader, a member and an admin; sends each hostile string in the query string,
then fills every field of every form the page shows with it and submits it.
A 500 anywhere fails, naming the request.
"""

import io
import os
from html.parser import HTMLParser
from urllib.parse import urlencode

from django.core.management import call_command

import pytest

from accounts.models import User
from blog.models import BlogPage
from chat.models import Room
from gallery.models import GalleryImage
from tests.urlmap import sample_paths

pytestmark = pytest.mark.django_db

HOSTILE = [
    "\x00",
    "a\x00b",
    '"',
    'a"b',
    "'",
    "\\",
    "<script>alert(1)</script>",
    "'; DROP TABLE accounts_user; --",
    "../../../etc/passwd",
    "{{ 7*7 }}{% debug %}",
    "\u202eevil",
    "AND OR NOT NEAR * ( ) : ^ ~",
    "-1",
    "99999999999999999999999",
    "x" * 5000,
    "🐈‍⬛",
    "\r\nSet-Cookie: x=1",
]
# Raw bytes that are not UTF-8 (a lone surrogate, a truncated sequence) go in
# undecoded, as a browser or a script would send them.
RAW_QUERY_VALUES = ["%ED%A0%80", "%FF%FE", "%C0%AF"]
# The admin has hundreds of views: it gets the strings that broke things before.
ADMIN_HOSTILE = ['a"b<script>alert(1)</script>\\', "x" * 5000]
COMMON_PARAMETERS = [
    "q",
    "page",
    "tag",
    "next",
    "p",
    "ordering",
    "sort",
    "after",
    "before",
    "limit",
    "collection_id",
    "return_url",
]
SKIP = {
    "/admin/test500/",  # raise on purpose, to try the error page
    "/admin/failwhale/",
    "/admin/logout/",
    "/accounts/logout/",
}


class FormParser(HTMLParser):
    """The forms on a page: method, action, enctype and field names."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or "",
                "multipart": "multipart" in (attrs.get("enctype") or ""),
                "fields": [],
            }
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select"):
            name = attrs.get("name")
            kind = (attrs.get("type") or "text").lower()
            if (
                name
                and name != "csrfmiddlewaretoken"
                and kind not in ("file", "submit")
            ):
                self._form["fields"].append(name)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def forms_on(response) -> list[dict]:
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    parser = FormParser()
    parser.feed(response.content.decode(errors="replace"))
    return parser.forms


class Walk:
    def __init__(self, client):
        self.client = client
        self.client.raise_request_exception = False
        self.failures: list[str] = []
        self.requests = 0

    def check(self, response, description):
        self.requests += 1
        if response.status_code >= 500:
            self.failures.append(f"{response.status_code} {description[:200]!r}")

    def query(self, path, strings, raw_values=RAW_QUERY_VALUES):
        for value in strings:
            query = urlencode(dict.fromkeys(COMMON_PARAMETERS, value))
            self.check(self.client.get(f"{path}?{query}"), f"GET {path} {value[:20]}")
        for raw in raw_values:
            self.check(
                self.client.get(f"{path}?q={raw}&page={raw}"), f"GET {path} {raw}"
            )

    def forms(self, path, strings):
        response = self.client.get(path)
        self.check(response, f"GET {path}")
        for form in forms_on(response):
            action = form["action"] or path
            if not action.startswith("/") or action in SKIP:
                continue
            for value in strings:
                data = dict.fromkeys(form["fields"], value)
                if form["method"] == "post":
                    response = self.client.post(action, data)
                else:
                    response = self.client.get(action, data)
                self.check(response, f"{form['method'].upper()} {action} {value[:20]}")


@pytest.fixture
def demo(monkeypatch, tmp_path):
    from home.management.commands import load_demo_data

    monkeypatch.setattr(load_demo_data, "CREDENTIALS_FILE", tmp_path / "c.json")
    monkeypatch.setitem(os.environ, "DEMO_PASSWORD", "hostile-walk-password")
    call_command("load_demo_data", stdout=io.StringIO())


def site_paths() -> list[str]:
    paths = [sample.path for sample in sample_paths()[0]]
    post = BlogPage.objects.live().first()
    photo = GalleryImage.objects.photos().first()
    room = Room.objects.first()
    paths += [
        post.url,
        f"/gallery/photos/{photo.pk}/",
        room.get_absolute_url(),
        "/members/wendy/",
        f"/admin/pages/{post.pk}/edit/",
        f"/admin/images/{photo.pk}/",
    ]
    return [path for path in dict.fromkeys(paths) if path not in SKIP]


def test_hostile_strings_never_cause_a_500(client, demo, settings):
    # Rate limits would soon answer 429 to everything and hide what is behind them.
    settings.ACCOUNT_RATE_LIMITS = False
    settings.CHAT_RATE_LIMIT = (100_000, 1)
    paths = site_paths()
    public = [
        path for path in paths if not path.startswith(("/admin/", "/django-admin/"))
    ]
    admin_paths = [path for path in paths if path.startswith("/admin/")]

    reader = Walk(client)
    for path in public:
        reader.query(path, HOSTILE)
        reader.forms(path, HOSTILE)

    member = Walk(type(client)())
    member.client.force_login(User.objects.get(username="wendy"))
    for path in public:
        member.query(path, HOSTILE)
        member.forms(path, HOSTILE)

    admin = Walk(type(client)())
    admin.client.force_login(User.objects.get(username="admin"))
    for path in admin_paths:
        admin.query(path, ADMIN_HOSTILE, raw_values=[])
        admin.forms(path, ADMIN_HOSTILE)

    failures = reader.failures + member.failures + admin.failures
    total = reader.requests + member.requests + admin.requests
    assert total > 2500
    assert failures == []
