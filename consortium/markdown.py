"""Markdown to safe HTML: markdown-it-py renders, nh3 keeps only harmless tags and attributes."""

from __future__ import annotations

import functools

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True}).enable("table")

_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
    "img",
    "del",
    "sup",
    "sub",
}
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}, "td": {"align"}}


def render_markdown(text: str | None) -> Markup:
    return Markup(_sanitised_html(text or ""))  # noqa: S704 - sanitised by nh3


# A guide, a training's description or a consultation is shown far more often than it is edited, and
# parsing it was a quarter of a guide's page. Keyed by the text itself, so an edit is never served stale.
@functools.lru_cache(maxsize=256)
def _sanitised_html(text: str) -> str:
    html = _renderer.render(text)
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return clean
