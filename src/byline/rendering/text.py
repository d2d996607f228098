"""Plain-text views of rendered HTML: excerpts, search text, links, reading time."""

from __future__ import annotations

import math
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import urlsplit

__all__ = ["extract_links", "make_excerpt", "plain_text", "reading_time"]

ELLIPSIS = "…"

# Elements that separate words visually; without a space at their edges
# "<p>one</p><p>two</p>" would read as "onetwo".
_BLOCK_TAGS: frozenset[str] = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "caption",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "img",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    }
)

# Elements with no end tag; they can never be "entered" for skipping.
_VOID_TAGS: frozenset[str] = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)

# Never prose, even if unsanitised HTML is passed in.
_NON_TEXT_TAGS: frozenset[str] = frozenset(
    {"script", "style", "template", "noscript", "iframe", "svg", "math", "title"}
)

# Footnote navigation ("[1]", "↩︎") is chrome, not text.
_FOOTNOTE_CHROME: frozenset[str] = frozenset({"footnote-ref", "footnote-backref"})
# An excerpt is a teaser, so the footnotes themselves go too.
_EXCERPT_SKIP: frozenset[str] = _FOOTNOTE_CHROME | {"footnotes", "footnotes-sep"}


class _TextExtractor(HTMLParser):
    """Collects text content, skipping whole elements that carry certain classes."""

    def __init__(self, skip_classes: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self._skip_classes = skip_classes
        self._skip_tag: str | None = None
        self._skip_depth = 0
        self._parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_tag is not None:
            # Count same-named descendants so a nested </div> does not end the skip early.
            if tag == self._skip_tag and tag not in _VOID_TAGS:
                self._skip_depth += 1
            return
        classes = set((dict(attrs).get("class") or "").split())
        if tag not in _VOID_TAGS and (tag in _NON_TEXT_TAGS or classes & self._skip_classes):
            self._skip_tag = tag
            self._skip_depth = 1
            return
        if tag in _BLOCK_TAGS:
            self._parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self._skip_tag is not None:
            if tag == self._skip_tag:
                self._skip_depth -= 1
                if self._skip_depth == 0:
                    self._skip_tag = None
            return
        if tag in _BLOCK_TAGS:
            self._parts.append(" ")

    def handle_data(self, data: str) -> None:
        if self._skip_tag is None:
            self._parts.append(data)

    def words(self) -> list[str]:
        return "".join(self._parts).split()


def _words(html: str, skip_classes: frozenset[str]) -> list[str]:
    parser = _TextExtractor(skip_classes)
    parser.feed(html)
    parser.close()
    return parser.words()


def plain_text(html: str) -> str:
    """Return the text content of ``html`` with whitespace collapsed to single spaces.

    Entities are decoded. Footnote text is kept (it is content, and worth
    indexing) but footnote markers and back-links are not.
    """
    return " ".join(_words(html, _FOOTNOTE_CHROME))


@lru_cache(maxsize=4096)
def make_excerpt(html: str, words: int = 55) -> str:
    """Return the first ``words`` words of ``html`` as plain text.

    A pure function of stored HTML that lists, feeds and page heads ask for again and
    again: each body is parsed once per process (the newest 4,096 kept).

    Tags are removed, entities decoded and whitespace collapsed; footnotes are
    left out. When text was cut off the excerpt ends with "…".
    """
    if words < 1:
        raise ValueError("words must be at least 1")
    all_words = _words(html, _EXCERPT_SKIP)
    if len(all_words) <= words:
        return " ".join(all_words)
    # "…" straight after a comma or dash reads badly ("and then,…").
    cut = " ".join(all_words[:words]).rstrip(",;:-\u2013\u2014 ")  # en and em dashes too
    return cut + ELLIPSIS


class _LinkExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href.strip())


def _is_absolute_http(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. a malformed IPv6 host
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def extract_links(html: str) -> list[str]:
    """Return the absolute http(s) hrefs of ``<a>`` elements in document order, de-duplicated."""
    parser = _LinkExtractor()
    parser.feed(html)
    parser.close()
    # dict keeps first-seen order while dropping repeats.
    return list(dict.fromkeys(href for href in parser.hrefs if _is_absolute_http(href)))


def reading_time(html: str, words_per_minute: int = 230) -> int:
    """Estimate minutes needed to read ``html``, rounded up and never less than 1."""
    if words_per_minute < 1:
        raise ValueError("words_per_minute must be at least 1")
    word_count = len(plain_text(html).split())
    return max(1, math.ceil(word_count / words_per_minute))
