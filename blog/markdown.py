"""Members write posts in Markdown; posts are stored as the StreamField blocks
editors use (core/blocks.py), so the admin edits them unchanged.

markdown_to_blocks() turns the text into blocks: "## Heading" into a heading,
"> quote" (with a last line "— Name") into a quote, a picture on its own line
("![alt text](image:42 "caption")") into a captioned image, and everything else
(paragraphs, lists, links, bold, italic, code) into rich-text paragraphs whose
HTML is sanitised with nh3 to what the paragraph block allows. Raw HTML in the
Markdown is never interpreted: it stays visible text. blocks_to_markdown() goes
back the other way, so a post can be edited again.
"""

import re
from dataclasses import dataclass

from django.utils.html import strip_tags

from wagtail.rich_text import RichText, expand_db_html

import nh3
from markdown_it import MarkdownIt
from markdownify import markdownify

# What the paragraph block's Draftail features (bold, italic, link, ol, ul, code)
# produce, so the admin shows a member's paragraph exactly as it is stored.
PARAGRAPH_TAGS = {"p", "b", "i", "a", "ul", "ol", "li", "code", "br"}
PARAGRAPH_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
IMAGE_REFERENCE = re.compile(r"^image:(\d+)$")
ATTRIBUTION = re.compile(r"^(?:—|–|--)\s*(.+)$")
HEADING_SIZES = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}
MARKS = {"h2": "##", "h3": "###", "h4": "####"}


class MarkdownError(ValueError):
    """The text cannot become a post, for a reason fit to show its writer."""


@dataclass(frozen=True)
class PictureReference:
    image_id: int
    alt_text: str
    caption: str


def _markdown() -> MarkdownIt:
    md = MarkdownIt(
        "commonmark", {"html": False, "linkify": False, "typographer": False}
    )
    md.disable(["html_block", "html_inline"])
    rules = md.renderer.rules
    rules["strong_open"] = lambda *args: "<b>"
    rules["strong_close"] = lambda *args: "</b>"
    rules["em_open"] = lambda *args: "<i>"
    rules["em_close"] = lambda *args: "</i>"
    return md


MD = _markdown()


def sanitise_paragraph_html(html: str) -> str:
    """Only what a paragraph block may hold; links to http(s) and mailto only."""
    return nh3.clean(
        html,
        tags=PARAGRAPH_TAGS,
        attributes=PARAGRAPH_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    ).strip()


def _plain(inline_token) -> str:
    """The visible text of an inline token, markup removed."""
    return " ".join(
        strip_tags(
            MD.renderer.renderInline(inline_token.children or [], MD.options, {})
        ).split()
    )


def _picture(inline_token) -> PictureReference | None:
    """A paragraph holding one picture and nothing else, or None."""
    children = [
        child
        for child in inline_token.children or []
        if not (
            child.type in ("softbreak", "hardbreak")
            or (child.type == "text" and not child.content.strip())
        )
    ]
    images = [child for child in inline_token.children or [] if child.type == "image"]
    if not images:
        return None
    if len(children) != 1:
        raise MarkdownError(
            "Put each picture on a line of its own, with nothing else on that line."
        )
    image = images[0]
    match = IMAGE_REFERENCE.match(image.attrGet("src") or "")
    if not match:
        raise MarkdownError(
            "Pictures must be uploaded with the post's “Add a picture” button; links to pictures elsewhere are not shown."
        )
    alt = " ".join(_plain(image).split()) or image.content
    return PictureReference(
        int(match.group(1)), alt.strip(), (image.attrGet("title") or "").strip()
    )


def parse(text: str) -> list[tuple[str, object]]:
    """The blocks of ``text``, with pictures as PictureReference values."""
    tokens = MD.parse(text or "")
    blocks: list[tuple[str, object]] = []
    run: list = []  # tokens of consecutive paragraphs and lists

    def flush():
        if run:
            html = sanitise_paragraph_html(MD.renderer.render(run, MD.options, {}))
            if strip_tags(html).strip():
                blocks.append(("paragraph", html))
            run.clear()

    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open":
            flush()
            text_ = _plain(tokens[index + 1])
            if text_:
                blocks.append(
                    ("heading", {"text": text_[:120], "size": HEADING_SIZES[token.tag]})
                )
            index += 3
            continue
        if token.type == "blockquote_open":
            flush()
            depth, end = 1, index + 1
            while depth:
                depth += {"blockquote_open": 1, "blockquote_close": -1}.get(
                    tokens[end].type, 0
                )
                end += 1
            lines = [_plain(t) for t in tokens[index:end] if t.type == "inline"]
            lines = [line for line in lines if line]
            attribution = ""
            if len(lines) > 1 and (match := ATTRIBUTION.match(lines[-1])):
                attribution, lines = match.group(1)[:120], lines[:-1]
            if lines:
                blocks.append(
                    ("quote", {"text": "\n\n".join(lines), "attribution": attribution})
                )
            index = end
            continue
        if token.type == "paragraph_open" and token.level == 0:
            picture = _picture(tokens[index + 1])
            if picture is not None:
                flush()
                blocks.append(("image", picture))
                index += 3
                continue
        if token.type == "hr":
            flush()
            index += 1
            continue
        if token.type in ("fence", "code_block"):
            lines = [
                f"<code>{line}</code>"
                for line in _escape(token.content).rstrip("\n").split("\n")
            ]
            run.append(_html_token("<p>" + "<br>".join(lines) + "</p>"))
            index += 1
            continue
        run.append(token)
        index += 1
    flush()
    return blocks


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _html_token(html: str):
    from markdown_it.token import Token

    token = Token("html_block", "", 0)
    token.content = html
    return token


def to_stream(
    blocks: list[tuple[str, object]], images: dict
) -> list[tuple[str, object]]:
    """StreamField data from parse()'s blocks; ``images`` maps ids to images."""
    stream = []
    for kind, value in blocks:
        if kind == "paragraph":
            stream.append(("paragraph", RichText(value)))
        elif kind == "image":
            stream.append(
                (
                    "image",
                    {
                        "image": images[value.image_id],
                        "caption": value.caption[:250],
                        "alt_text": value.alt_text[:250],
                    },
                )
            )
        else:
            stream.append((kind, value))
    return stream


def blocks_to_markdown(body) -> str:
    """A post's StreamField body as the Markdown its author edits."""
    parts = []
    for block in body:
        value = block.value
        if block.block_type == "heading":
            parts.append(f"{MARKS.get(value['size'], '##')} {value['text']}")
        elif block.block_type == "paragraph":
            html = expand_db_html(value.source)
            parts.append(
                markdownify(
                    html, heading_style="ATX", bullets="-", strong_em_symbol="*"
                ).strip()
            )
        elif block.block_type == "quote":
            lines = [
                f"> {line}" if line else ">" for line in value["text"].splitlines()
            ]
            if value.get("attribution"):
                lines += [">", f"> — {value['attribution']}"]
            parts.append("\n".join(lines))
        elif block.block_type == "image" and value.get("image"):
            alt = (value.get("alt_text") or value["image"].alt_text).replace("]", "")
            caption = (value.get("caption") or "").replace('"', "'")
            title = f' "{caption}"' if caption else ""
            parts.append(f"![{alt}](image:{value['image'].pk}{title})")
        elif block.block_type == "embed" and value:
            parts.append(f"[{value.url}]({value.url})")
    return "\n\n".join(part for part in parts if part) + ("\n" if parts else "")
