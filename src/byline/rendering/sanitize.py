"""HTML sanitising for post bodies and reader comments, built on nh3 (ammonia).

nh3 is the single authority on what markup reaches a reader's browser: Markdown
rendering may produce anything, and everything it produces goes through here.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import nh3

__all__ = [
    "ALLOWED_EMBED_HOSTS",
    "render_html",
    "sanitize_comment_html",
    "sanitize_post_html",
]

ALLOWED_EMBED_HOSTS: frozenset[str] = frozenset(
    {
        "www.youtube.com",
        "www.youtube-nocookie.com",
        "player.vimeo.com",
        "w.soundcloud.com",
        "open.spotify.com",
        "www.openstreetmap.org",
        "codepen.io",
    }
)

_URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})

# Elements whose *content* is meaningless or dangerous as text. Dropping them
# wholesale (rather than unwrapping) keeps CSS, scripts and form widgets from
# leaking into a post as visible junk. Must stay disjoint from the allowed tags.
_CLEAN_CONTENT_TAGS: frozenset[str] = frozenset(
    {
        "applet",
        "embed",
        "frame",
        "frameset",
        "math",
        "noembed",
        "noframes",
        "noscript",
        "object",
        "plaintext",
        "script",
        "select",
        "style",
        "svg",
        "template",
        "textarea",
        "title",
        "xmp",
    }
)

_POST_TAGS: frozenset[str] = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "dd",
        "del",
        "details",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "iframe",
        "img",
        "input",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "picture",
        "pre",
        "q",
        "s",
        "samp",
        "section",
        "small",
        "source",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
        "var",
    }
)

_POST_ATTRIBUTES: dict[str, set[str]] = {
    # Allowed everywhere, but _post_attribute_filter narrows the values to the
    # handful that the footnote and task-list plugins emit.
    "*": {"class", "id"},
    "a": {"href", "title"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "details": {"open"},
    "iframe": {"src", "width", "height", "title", "allow", "allowfullscreen", "loading"},
    "img": {"src", "srcset", "sizes", "alt", "title", "width", "height", "loading"},
    # Whatever survives here, _canonicalise_embeds rebuilds every <input> as
    # an inert checkbox.
    "input": {"checked"},
    "ol": {"start", "reversed"},
    "q": {"cite"},
    "source": {"srcset", "sizes", "media", "type"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}

_POST_CLASSES: frozenset[str] = frozenset(
    {
        "contains-task-list",
        "footnote-backref",
        "footnote-item",
        "footnote-ref",
        "footnotes",
        "footnotes-list",
        "footnotes-sep",
        "task-list-item",
        "task-list-item-checkbox",
    }
)

# [0-9] rather than \d: \d also matches non-ASCII digits.
_FOOTNOTE_ID = re.compile(r"fn[0-9]+|fnref[0-9]+(?::[0-9]+)?")

# The permissions the allowed embed providers ask for in their own embed code;
# anything else (camera, microphone, geolocation, ...) is dropped.
_IFRAME_PERMISSIONS: frozenset[str] = frozenset(
    {
        "accelerometer",
        "autoplay",
        "clipboard-write",
        "encrypted-media",
        "fullscreen",
        "gyroscope",
        "picture-in-picture",
        "web-share",
    }
)

_LOADING_VALUES: frozenset[str] = frozenset({"lazy", "eager"})

_SRCSET_URL_SCHEMES: frozenset[str] = frozenset({"http", "https"})

# What the WHATWG URL parser trims from both ends, and what it deletes anywhere.
_URL_TRIMMED = "".join(map(chr, range(0x21)))
_URL_INVISIBLES = str.maketrans("", "", "\t\n\r")

_COMMENT_TAGS: frozenset[str] = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "del",
        "em",
        "i",
        "li",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "strong",
        "sub",
        "sup",
        "ul",
    }
)

_COMMENT_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
}

COMMENT_LINK_REL = "nofollow ugc noopener noreferrer"
POST_LINK_REL = "noopener noreferrer"

# nh3 serialises attribute values double-quoted with `"`, `<` and `>` escaped,
# and text with `<` escaped everywhere except inside raw-text elements, of
# which <iframe> is the only one we allow. So in nh3 *output* a literal
# `<iframe` or `<input` outside an iframe's content is always a real start tag,
# and `[^>]*` cannot run past its end. Scanning left to right, an iframe match
# swallows its own content before anything in it could be mistaken for a tag.
_EMBED_OR_INPUT = re.compile(
    r"<iframe(?P<iframe>(?:\s[^>]*)?)>.*?</iframe>|<input(?P<input>(?:\s[^>]*)?)>",
    re.DOTALL,
)
_SERIALISED_ATTRIBUTE = re.compile(r'\s(?P<name>[^\s="]+)(?:="(?P<value>[^"]*)")?')


def _is_allowed_embed(url: str) -> bool:
    """True when ``url`` is an https URL on one of ALLOWED_EMBED_HOSTS."""
    # Browsers treat `\` like `/` and skip tabs/newlines inside URLs, while
    # urlsplit does neither; refusing such characters outright means both
    # sides agree on which host we are looking at.
    if any(ch == "\\" or ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        return False
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    # Userinfo ("https://www.youtube.com@evil.example/") is never legitimate
    # in an embed and is a classic way to disguise the real host.
    if parts.scheme != "https" or "@" in parts.netloc:
        return False
    return parts.hostname in ALLOWED_EMBED_HOSTS and port in (None, 443)


def _scheme_is_allowed(url: str, schemes: frozenset[str]) -> bool:
    """True when ``url`` is relative or its scheme is in ``schemes``.

    nh3 checks schemes only on href and src; cite and srcset are left to us.
    Browsers ignore leading/trailing spaces and controls and tabs/newlines
    anywhere in a URL, so those are removed before looking for a scheme. Any
    other oddity in the scheme part makes it unrecognised, hence rejected.
    """
    url = url.strip(_URL_TRIMMED).translate(_URL_INVISIBLES)
    scheme, colon, _rest = url.partition(":")
    if not colon or any(ch in scheme for ch in "/?#"):
        return True  # relative: path, query or fragment only
    return scheme.lower() in schemes


def _srcset_is_safe(srcset: str) -> bool:
    """True when no candidate URL in a srcset uses a scheme other than http(s).

    Parsing srcset properly is fiddly (URLs may contain commas), so this splits
    on both commas and whitespace and checks every piece: width/density
    descriptors never contain a colon, and a URL broken at a comma or a tab can
    only yield extra pieces to check, never hide one. It errs towards rejecting.
    """
    return all(
        _scheme_is_allowed(piece, _SRCSET_URL_SCHEMES) for piece in re.split(r"[\s,]+", srcset)
    )


def _filter_classes(value: str) -> str | None:
    kept = [name for name in value.split() if name in _POST_CLASSES]
    return " ".join(kept) or None


def _filter_permissions(value: str) -> str | None:
    # A directive is "feature [origins...]"; keep it only for harmless features.
    kept = [
        directive.strip()
        for directive in value.split(";")
        if directive.split() and directive.split()[0].lower() in _IFRAME_PERMISSIONS
    ]
    return "; ".join(kept) or None


def _post_attribute_filter(tag: str, attr: str, value: str) -> str | None:
    # nh3 calls this only for attributes that already passed the allowlist and
    # its own href/src scheme check, so each branch only narrows values further.
    # nh3 does not re-check what this returns, so it must never widen them.
    if attr == "class":
        return _filter_classes(value)
    if attr == "id":
        return value if _FOOTNOTE_ID.fullmatch(value) else None
    if attr == "cite":
        return value if _scheme_is_allowed(value, _URL_SCHEMES) else None
    if attr == "srcset":
        return value if _srcset_is_safe(value) else None
    if attr == "loading":
        return value.lower() if value.lower() in _LOADING_VALUES else None
    if tag == "iframe":
        if attr == "src":
            return value if _is_allowed_embed(value) else None
        if attr == "allow":
            return _filter_permissions(value)
    return value


def _comment_attribute_filter(tag: str, attr: str, value: str) -> str | None:
    # href is scheme-checked by nh3 itself; cite is not.
    if attr == "cite":
        return value if _scheme_is_allowed(value, _URL_SCHEMES) else None
    return value


def _rebuild_iframe(attrs: str) -> str:
    # The attribute filter already dropped any src that was not an allowed
    # embed, but nh3 can drop an attribute, not the element carrying it, so a
    # src-less frame is removed here. The content between the tags is never
    # shown by browsers yet is serialised unescaped, so it goes too rather
    # than being left for a less careful HTML parser to misread.
    names = {m.group("name") for m in _SERIALISED_ATTRIBUTE.finditer(attrs)}
    return f"<iframe{attrs}></iframe>" if "src" in names else ""


def _rebuild_input(attrs: str) -> str:
    # Task lists are the only legitimate <input> in a post. An input without
    # type="checkbox" would be a text field and an enabled one invites readers
    # to tick boxes in someone else's post, so every input becomes an inert
    # checkbox. (nh3's set_tag_attribute_values could force these, but with
    # more than one attribute it emits them in hash order, which differs from
    # one process to the next and makes the output non-deterministic.)
    found = {m.group("name"): m.group("value") for m in _SERIALISED_ATTRIBUTE.finditer(attrs)}
    parts = ["<input"]
    if found.get("class"):
        parts.append(f' class="{found["class"]}"')
    if "checked" in found:
        parts.append(' aria-label="done" checked="checked"')
    else:
        parts.append(' aria-label="not done"')
    # A checkbox needs an accessible name; the task's text follows it, unlabelled.
    parts.append(' disabled="disabled" type="checkbox">')
    return "".join(parts)


def _canonicalise_embeds(html: str) -> str:
    """Post-process nh3 output: drop refused iframes, make inputs inert checkboxes."""

    def replace(match: re.Match[str]) -> str:
        if match.group("iframe") is not None:
            return _rebuild_iframe(match.group("iframe"))
        return _rebuild_input(match.group("input"))

    return _EMBED_OR_INPUT.sub(replace, html)


_post_cleaner = nh3.Cleaner(
    tags=set(_POST_TAGS),
    clean_content_tags=set(_CLEAN_CONTENT_TAGS),
    attributes=_POST_ATTRIBUTES,
    attribute_filter=_post_attribute_filter,
    url_schemes=set(_URL_SCHEMES),
    link_rel=POST_LINK_REL,
    strip_comments=True,
)

_comment_cleaner = nh3.Cleaner(
    tags=set(_COMMENT_TAGS),
    clean_content_tags=set(_CLEAN_CONTENT_TAGS),
    attributes=_COMMENT_ATTRIBUTES,
    attribute_filter=_comment_attribute_filter,
    url_schemes=set(_URL_SCHEMES),
    link_rel=COMMENT_LINK_REL,
    strip_comments=True,
)


def sanitize_post_html(html: str) -> str:
    """Sanitise HTML for a post body written by a site's own author.

    Allows the structural and inline markup a blog post needs (headings,
    figures, tables, responsive images, footnotes, task lists, embeds from
    ALLOWED_EMBED_HOSTS), http/https/mailto and relative URLs only, no
    scripting, styling or forms. Links get ``rel="noopener noreferrer"``.
    """
    return _canonicalise_embeds(_post_cleaner.clean(html))


def sanitize_comment_html(html: str) -> str:
    """Sanitise HTML for a reader comment: inline text markup, lists, quotes, code, links.

    Links get ``rel="nofollow ugc noopener noreferrer"``; no images, headings,
    tables, classes, ids or styles survive.
    """
    return _comment_cleaner.clean(html)


def render_html(source: str) -> str:
    """Render imported or editor-produced HTML as a post body (i.e. sanitise it)."""
    return sanitize_post_html(source)
