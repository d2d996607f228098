"""A streaming reader of WordPress eXtended RSS (WXR 1.0, 1.1 and 1.2) files.

Built on the standard library's expat, fed in chunks, so a file of any size is read in
bounded memory: each author, term and item is handed out as a small record as soon as
its closing tag is read, and forgotten.

Refused outright (WXRError, with the line): any DOCTYPE or entity declaration — there
is no legitimate use for one in a WXR file, and refusing them closes XXE and billion
laughs (SECURITY-CASES 45) — any well-formedness error, elements nested absurdly deep,
and a file that is not RSS with a WordPress namespace.

Elements are recognised by namespace URI, not by prefix: `wp:` bound to anything but
http://wordpress.org/export/1.x/ is not WordPress's, and an unprefixed element in the
WordPress namespace is.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

__all__ = ["CDataRepair", "Channel", "Record", "WXRError", "read_wxr"]

_WP_NS = re.compile(r"^https?://wordpress\.org/export/1\.[0-9]+/$")
_EXCERPT_NS = re.compile(r"^https?://wordpress\.org/export/1\.[0-9]+/excerpt/$")
_KNOWN_NS = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
CHUNK = 256 * 1024
MAX_DEPTH = 64
# One field's text above this is not kept (the item is refused with a reason): a post
# body of 16 MB is not a blog post, and keeping it would unbound memory.
MAX_FIELD = 16 * 1024 * 1024

_RECORDS = {"wp:author": "author", "wp:category": "category", "wp:tag": "tag",
            "wp:term": "term", "item": "item"}
_LISTS = {"wp:postmeta": "postmeta", "wp:comment": "comments"}


class WXRError(Exception):
    """The file cannot be imported at all: refused or malformed. Nothing was written."""

    def __init__(self, message: str, line: int | None = None):
        self.line = line
        super().__init__(f"Line {line}: {message}" if line else message)


@dataclass
class Channel:
    """What the export says about the site it came from."""

    title: str = ""
    link: str = ""
    description: str = ""
    language: str = ""
    wxr_version: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""


@dataclass
class Record:
    """One author, category, tag, term or item, as text fields keyed `prefix:name`
    (`wp:post_id`, `content:encoded`, `title`…); repeated children in lists."""

    kind: str
    line: int
    fields: dict[str, str] = field(default_factory=dict)
    categories: list[dict[str, str]] = field(default_factory=list)
    postmeta: list[dict[str, str]] = field(default_factory=list)
    comments: list[dict[str, Any]] = field(default_factory=list)
    oversize: str = ""  # the field that was too large to keep, if any

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)

    def meta(self, key: str) -> str:
        for entry in self.postmeta:
            if entry.get("wp:meta_key", "").strip() == key:
                return entry.get("wp:meta_value", "")
        return ""


def _qualify(name: str) -> str:
    """`uri local` (expat's form) → `wp:local`, `content:local`, `local`, or `?:local`."""
    uri, sep, local = name.rpartition(" ")
    if not sep:
        return local
    if _WP_NS.match(uri):
        return f"wp:{local}"
    if _EXCERPT_NS.match(uri):
        return f"excerpt:{local}"
    return f"{_KNOWN_NS.get(uri, '?')}:{local}"


class _Reader:
    def __init__(self) -> None:
        p = xml.parsers.expat.ParserCreate(namespace_separator=" ")
        p.buffer_text = True
        p.ordered_attributes = False
        p.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
        p.StartDoctypeDeclHandler = self._doctype
        p.EntityDeclHandler = self._entity
        p.UnparsedEntityDeclHandler = self._entity
        p.ExternalEntityRefHandler = self._external
        p.StartElementHandler = self._start
        p.EndElementHandler = self._end
        p.CharacterDataHandler = self._text
        self.parser = p
        self.stack: list[str] = []
        self.channel = Channel()
        self.seen_wp = False
        self.ready: list[Record] = []
        self.record: Record | None = None
        self.record_depth = 0
        self.sub: dict[str, Any] | None = None  # a postmeta/comment/… being read
        self.sub_list: list | None = None
        self.comment_meta: dict[str, str] | None = None
        self.text: list[str] = []
        self.text_size = 0

    # Refusals -------------------------------------------------------------------------

    def _refuse(self, message: str) -> None:
        raise WXRError(message, self.parser.CurrentLineNumber)

    def _doctype(self, *args) -> None:
        self._refuse("The file has a DOCTYPE declaration; WXR files never do, and it could "
                     "hide entity attacks (XXE, billion laughs). Nothing was imported.")

    def _entity(self, *args) -> None:
        self._refuse("The file declares an entity; refused. Nothing was imported.")

    def _external(self, *args) -> int:
        self._refuse("The file refers to an external entity; refused. Nothing was imported.")
        return 0

    # Elements -------------------------------------------------------------------------

    def _start(self, raw: str, attrs: dict[str, str]) -> None:
        name = _qualify(raw)
        if name.startswith("wp:"):
            self.seen_wp = True
        self.stack.append(name)
        depth = len(self.stack)
        if depth > MAX_DEPTH:
            self._refuse(f"Elements are nested more than {MAX_DEPTH} deep.")
        if depth == 1 and name != "rss":
            self._refuse(f"This is not a WordPress export: the document is <{name}>, "
                         "not <rss>.")
        self.text, self.text_size = [], 0
        if self.record is None:
            if depth == 3 and self.stack[1] == "channel" and name in _RECORDS:
                self.record = Record(kind=_RECORDS[name], line=self.parser.CurrentLineNumber)
                self.record_depth = depth
            return
        rel = depth - self.record_depth
        if rel == 1 and name in _LISTS:
            self.sub = {}
            self.sub_list = getattr(self.record, _LISTS[name])
        elif rel == 1 and name == "category" and self.record.kind == "item":
            self.sub = {"domain": attrs.get("domain", ""), "nicename": attrs.get("nicename", "")}
            self.sub_list = self.record.categories
        elif rel == 2 and name == "wp:commentmeta" and self.sub is not None:
            self.comment_meta = {}

    def _text(self, data: str) -> None:
        if self.record is None and len(self.stack) != 3:
            return
        self.text_size += len(data)
        if self.text_size > MAX_FIELD:
            if self.record is not None and not self.record.oversize:
                self.record.oversize = self.stack[-1]
            self.text = []
            return
        self.text.append(data)

    def _end(self, raw: str) -> None:
        name = self.stack[-1]
        depth = len(self.stack)
        value = "".join(self.text)
        self.text, self.text_size = [], 0
        record = self.record
        if record is None:
            if depth == 3 and self.stack[1] == "channel":
                self._channel_field(name, value)
        else:
            rel = depth - self.record_depth
            if rel == 0:
                self.ready.append(record)
                self.record = None
            elif rel == 1 and self.sub is not None and (name in _LISTS or name == "category"):
                if name == "category":
                    self.sub["name"] = value
                self.sub_list.append(self.sub)
                self.sub, self.sub_list = None, None
            elif rel == 1:
                record.fields.setdefault(name, value)
            elif rel == 2 and self.sub is not None and name == "wp:commentmeta":
                self.sub.setdefault("meta", []).append(self.comment_meta or {})
                self.comment_meta = None
            elif rel == 2 and self.sub is not None:
                self.sub.setdefault(name, value)
            elif rel == 3 and self.comment_meta is not None:
                self.comment_meta.setdefault(name, value)
        self.stack.pop()

    def _channel_field(self, name: str, value: str) -> None:
        channel = self.channel
        targets = {"title": "title", "link": "link", "description": "description",
                   "language": "language", "wp:wxr_version": "wxr_version",
                   "wp:base_site_url": "base_site_url", "wp:base_blog_url": "base_blog_url"}
        attr = targets.get(name)
        if attr and not getattr(channel, attr):
            setattr(channel, attr, value.strip())

    def feed(self, data: bytes, final: bool = False) -> None:
        try:
            self.parser.Parse(data, final)
        except xml.parsers.expat.ExpatError as error:
            raise WXRError(f"The file is not well-formed XML: "
                           f"{xml.parsers.expat.ErrorString(error.code)} "
                           f"(column {error.offset + 1}). Nothing was imported.",
                           error.lineno) from None
        if final:
            if not self.seen_wp:
                raise WXRError("This is not a WordPress export (no WordPress export "
                               "namespace, http://wordpress.org/export/1.x/).")
            version = self.channel.wxr_version
            if version and not re.fullmatch(r"1\.[0-9]+", version):
                raise WXRError(f"Unknown WXR version “{version[:20]}”.")


class CDataRepair:
    """Read CDATA the way WordPress's own importer does when its XML parsers give up: a
    section ends at a `]]>` followed (after any blanks) by a tag, and a `]]>` inside the
    text, which strict XML forbids (crazy-cdata.xml in WordPress's tests:
    `<![CDATA[]]>]]>`, `<![CDATA[a <![CDATA[ b ]]> c]]>`), is kept as text by splitting
    the section around it. A stream filter: bytes in, bytes out, newlines untouched, so
    errors keep their line numbers. Used only for a file strict parsing refused."""

    OPEN, CLOSE = b"<![CDATA[", b"]]>"

    def __init__(self) -> None:
        self.inside = False
        self.carry = b""

    def feed(self, data: bytes, final: bool) -> bytes:
        buf, out, i = self.carry + data, [], 0
        n = len(buf)
        while i < n:
            if not self.inside:
                j = buf.find(self.OPEN, i)
                if j < 0:
                    keep = 0 if final else min(len(self.OPEN) - 1, n - i)
                    out.append(buf[i:n - keep])
                    i = n - keep
                    break
                out.append(buf[i:j + len(self.OPEN)])
                i, self.inside = j + len(self.OPEN), True
                continue
            j = buf.find(self.CLOSE, i)
            if j < 0:
                keep = 0 if final else min(len(self.CLOSE) - 1, n - i)
                out.append(buf[i:n - keep])
                i = n - keep
                break
            k = j + len(self.CLOSE)
            while k < n and buf[k:k + 1] in b" \t\r\n":
                k += 1
            if k >= n and not final:
                out.append(buf[i:j])  # decide once the next bytes are here
                i = j
                break
            if k >= n or buf[k:k + 1] == b"<":
                out.append(buf[i:j + len(self.CLOSE)])
                i, self.inside = j + len(self.CLOSE), False
            else:
                out.append(buf[i:j] + b"]]]]><![CDATA[>")
                i = j + len(self.CLOSE)
        self.carry = buf[i:]
        return b"".join(out)


def read_wxr(stream: IO[bytes], *, channel_out: list[Channel] | None = None,
             on_bytes=None, repair_cdata: bool = False) -> Iterator[Record]:
    """Yield the file's records (authors, terms, items) in file order.

    Raises WXRError (refused or malformed) at the point it is found: a caller that must
    not write anything for a bad file reads it through once first (see `validate`).
    The channel's details are appended to `channel_out` at the end; `on_bytes(n)` is
    called with the bytes read so far.
    """
    reader = _Reader()
    repair = CDataRepair() if repair_cdata else None
    read = 0
    while True:
        data = stream.read(CHUNK)
        read += len(data)
        reader.feed(data if repair is None else repair.feed(data, final=not data),
                    final=not data)
        if on_bytes is not None:
            on_bytes(read)
        if reader.ready:
            ready, reader.ready = reader.ready, []
            yield from ready
        if not data:
            break
    if channel_out is not None:
        channel_out.append(reader.channel)
