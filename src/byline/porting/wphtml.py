"""WordPress post HTML into HTML that Byline's sanitiser takes: block-editor comments
out, `[caption]` into figure/figcaption, `[gallery]` into a gallery of the attached
images, `[embed]` into a link, and WordPress's auto-paragraphs for classic content.

Pure functions on strings. Nothing here makes HTML safe: the importer passes the result
through `byline.rendering.sanitize_post_html`, last (SECURITY-CASES 12).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

__all__ = ["Attachment", "html_depth", "is_block_content", "rewrite_links", "to_html",
           "wpautop"]

_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:[^>]*?-->\n?", re.S)
_SHORTCODE_ATTR = re.compile(r'([\w-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|([^\s\]]+))')
_CAPTION = re.compile(r"\[(caption|wp_caption)([^\]]*)\](.*?)\[/\1\]", re.S | re.I)
_GALLERY = re.compile(r"\[gallery([^\]]*)\]", re.I)
_EMBED = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.S | re.I)
_LEADING_MEDIA = re.compile(
    r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.S | re.I)

_BLOCK_TAGS = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|"
    "map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|"
    "aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary|iframe|video|"
    "audio|object|script|noscript")
_BLOCK_OPEN = re.compile(rf"(<(?:{_BLOCK_TAGS})[\s/>])", re.I)
_BLOCK_CLOSE = re.compile(rf"(</(?:{_BLOCK_TAGS})>)", re.I)
_STARTS_BLOCK = re.compile(rf"^</?(?:{_BLOCK_TAGS})[\s/>]", re.I)
_ENDS_BLOCK = re.compile(rf"</?(?:{_BLOCK_TAGS})[^>]*>$", re.I)
_PRE = re.compile(r"<pre\b.*?</pre>", re.S | re.I)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr", "p", "li", "dt", "dd", "option", "tr", "td",
                   "th"})


@dataclass(frozen=True)
class Attachment:
    """What the importer knows of an attachment: enough for a gallery."""

    wp_id: int
    parent: int
    url: str
    alt: str = ""
    caption: str = ""
    menu_order: int = 0


def is_block_content(source: str) -> bool:
    return "<!-- wp:" in source


def html_depth(source: str) -> int:
    """How deeply elements nest (roughly, as browsers would see it), in one pass: the
    importer refuses absurd nesting before the sanitiser sees it."""
    depth = deepest = 0
    for match in _TAG.finditer(source):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in _VOID or self_closing:
            continue
        if closing:
            depth = max(depth - 1, 0)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def _attrs(text: str) -> dict[str, str]:
    found = {}
    for match in _SHORTCODE_ATTR.finditer(text):
        value = next(v for v in match.groups()[1:] if v is not None)
        found[match.group(1).lower()] = html.unescape(value)
    return found


def _caption(match: re.Match[str]) -> str:
    attrs, inner = _attrs(match.group(2)), match.group(3)
    media = _LEADING_MEDIA.match(inner)
    if media:
        image, text = media.group(1), media.group(2).strip()
    else:
        image, text = inner, ""
    text = text or html.escape(attrs.get("caption", ""), quote=False)
    caption = f"<figcaption>{text}</figcaption>" if text else ""
    return f"<figure>{image}{caption}</figure>"


def _gallery_for(attachments: Mapping[int, Attachment], post_wp_id: int
                 ) -> Callable[[re.Match[str]], str]:
    def gallery(match: re.Match[str]) -> str:
        attrs = _attrs(match.group(1))
        ids = [int(x) for x in re.findall(r"\d+", attrs.get("ids", "") or attrs.get("include", ""))]
        if ids:
            chosen = [attachments[i] for i in ids if i in attachments]
        else:
            parent = int(attrs["id"]) if attrs.get("id", "").isdigit() else post_wp_id
            chosen = sorted((a for a in attachments.values() if a.parent == parent),
                            key=lambda a: (a.menu_order, a.wp_id))
        if not chosen:
            return ""
        figures = "".join(
            f'<figure><img src="{html.escape(a.url)}" alt="{html.escape(a.alt)}" '
            f'loading="lazy">'
            + (f"<figcaption>{html.escape(a.caption)}</figcaption>" if a.caption else "")
            + "</figure>"
            for a in chosen)
        return f"\n\n<div>{figures}</div>\n\n"
    return gallery


def _embed(match: re.Match[str]) -> str:
    url = html.unescape(match.group(1).strip())
    return f'<p><a href="{html.escape(url)}">{html.escape(url)}</a></p>'


def wpautop(text: str) -> str:
    """WordPress's auto-paragraphs, simplified: blank lines separate paragraphs, single
    newlines become <br>, block-level elements are left as they are, <pre> untouched."""
    if not text.strip():
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\n\n<pre-placeholder-{len(kept) - 1}>\n\n"

    text = _PRE.sub(keep, text)
    text = _BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    out = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if chunk.startswith("<pre-placeholder-"):
            out.append(kept[int(chunk[len("<pre-placeholder-"):-1])])
        elif _STARTS_BLOCK.match(chunk) or _ENDS_BLOCK.search(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)


def to_html(source: str, *, attachments: Mapping[int, Attachment] | None = None,
            post_wp_id: int = 0) -> str:
    """A WordPress post body as plain HTML (not yet sanitised)."""
    blocks = is_block_content(source)
    text = _BLOCK_COMMENT.sub("", source)
    text = _CAPTION.sub(_caption, text)
    text = _GALLERY.sub(_gallery_for(attachments or {}, post_wp_id), text)
    text = _EMBED.sub(_embed, text)
    return text if blocks else wpautop(text)


_URL_ATTR = re.compile(r"""(\s(?:href|src)\s*=\s*)(["'])(.*?)\2""", re.I | re.S)


def rewrite_links(source: str, new_address: Callable[[str], str | None]) -> str:
    """Replace every href/src that `new_address` knows (it returns None for the rest)."""

    def replace(match: re.Match[str]) -> str:
        url = html.unescape(match.group(3))
        new = new_address(url)
        if new is None:
            return match.group(0)
        return f"{match.group(1)}{match.group(2)}{html.escape(new)}{match.group(2)}"

    return _URL_ATTR.sub(replace, source)
