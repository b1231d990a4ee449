"""Hostile HTML and scripts in what members write are neutralised: stored
sanitised, rendered escaped, links marked rel="nofollow ugc"."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from blog.markdown import blocks_to_markdown, parse
from blog.models import BlogPage
from tests.blog.posts import post_data

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "<iframe src=//evil.example></iframe>",
    '"><svg onload=alert(1)>',
    "<style>body{display:none}</style>",
    "**<b onmouseover=alert(1)>bold</b>**",
    "<details open ontoggle=alert(1)>",
    "{{ 7*7 }} {% debug %}",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
]
# Elements that run or load something; the site's own pages have forms of
# their own, so forms are checked in stored post HTML only.
ACTIVE_TAGS = {"script", "iframe", "svg", "style", "object", "embed", "details", "math"}
SAFE_SCHEMES = {"", "http", "https", "mailto"}


class ActiveContent(HTMLParser):
    """What a browser would run or load from the HTML: active elements, event
    handler attributes, links and sources with scripting URL schemes."""

    def __init__(self, html: str, tags: set[str]):
        super().__init__()
        self.tags = tags
        self.found: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag in self.tags:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if (
                name in ("href", "src", "action")
                and urlsplit((value or "").strip()).scheme.lower() not in SAFE_SCHEMES
            ):
                self.found.append(f"{tag} {name}={value}")


def active(html: str, tags=ACTIVE_TAGS) -> list[str]:
    return ActiveContent(html, tags).found


def active_in_post(html: str) -> list[str]:
    return active(html, ACTIVE_TAGS | {"form", "input", "button", "img"})


@pytest.mark.parametrize("hostile", HOSTILE)
def test_paragraph_html_is_sanitised(hostile):
    blocks = parse(f"Hello {hostile} world\n")
    html = "".join(value for kind, value in blocks if kind == "paragraph")
    assert active_in_post(html) == [], html


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_is_neutralised_everywhere_it_shows(
    client, member, blog_index, hostile
):
    client.force_login(member)
    client.post(
        "/blog/write/",
        post_data(
            title=f"Title {hostile}",
            intro=f"Intro {hostile}",
            tags=f"tag {hostile[:30]}",
            body=f"Body {hostile}\n\n## Heading {hostile}\n\n> Quote {hostile}\n",
        ),
    )
    post = BlogPage.objects.get()
    for block in post.body:
        if block.block_type == "paragraph":
            assert active_in_post(block.value.source) == []
    for url in (
        f"/blog/posts/{post.pk}/preview/",
        "/blog/my-posts/",
        f"/blog/posts/{post.pk}/edit/",
    ):
        content = client.get(url).content.decode()
        main = content.split('<main id="main-content"', 1)[1].split("</main>", 1)[0]
        assert active(main) == [], url


def test_links_get_nofollow_ugc_when_shown(client, member, blog_index):
    client.force_login(member)
    client.post(
        "/blog/write/", post_data(body="See [my shop](https://example.com/shop).\n")
    )
    post = BlogPage.objects.get()
    assert (
        "rel=" not in post.body[0].value.source
    )  # stored plain, as editors store links
    content = client.get(f"/blog/posts/{post.pk}/preview/").content.decode()
    assert (
        '<a href="https://example.com/shop" rel="nofollow ugc noopener">my shop</a>'
        in content
    )


def test_markdown_round_trips_through_the_blocks(member, blog_index):
    from tests.blog.posts import BODY, write

    post = write(member, body=BODY)
    assert blocks_to_markdown(post.body).strip() == BODY.strip()
    again = write(member, title="Again", body=blocks_to_markdown(post.body))
    assert [b.block_type for b in again.body] == [b.block_type for b in post.body]
    assert [str(b.value) for b in again.body] == [str(b.value) for b in post.body]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Look ![cat](image:1) inline", "on a line of its own"),
        ("![cat](https://elsewhere.example/cat.jpg)", "uploaded with"),
    ],
)
def test_pictures_must_be_ours_and_on_their_own_line(
    client, member, blog_index, text, message
):
    client.force_login(member)
    response = client.post("/blog/write/", post_data(body=text))
    assert message in response.context["form"].errors["body"][0]
    assert not BlogPage.objects.exists()
