"""Full-text search over a site's published posts and pages.

The index (`SearchDocument`) holds every post of a site, drafts included: who may read a
post is decided when searching, by joining the index to
`Post.objects.for_site(site).published()`, so a scheduled post turns up the moment its time
comes, and a draft, private, trashed or future post never does. Password-protected posts are
indexed without their body.

Two engines behind one function, `search_posts()`:

* SQLite: the FTS5 table `reader_search_fts` (migration 0001), ranked by bm25 with the
  title weighted over tags over body.
* PostgreSQL: a weighted tsvector (title A, tags B, body C) in `SearchDocument.vector`
  under a GIN index, matched with `websearch_to_tsquery` and ranked by `ts_rank`.

Excerpts are highlighted here, in Python, from plain text: the text is escaped first and
only then are the matched words wrapped in `<mark>`, so no HTML of a post reaches a page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from byline.content.models import Post
from byline.rendering import plain_text
from byline.tenancy.models import Site

from .models import SearchDocument

# A search box is for words, not essays: longer queries are cut (not refused).
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
# PostgreSQL refuses tsvectors over 1 MB; nobody searches past the first 200,000 characters.
MAX_INDEXED_CHARS = 200_000
EXCERPT_CHARS = 260

# PostgreSQL's built-in snowball configurations; any other language searches word for word.
PG_CONFIGS = {
    "da": "danish", "de": "german", "en": "english", "es": "spanish", "fi": "finnish",
    "fr": "french", "hu": "hungarian", "it": "italian", "nl": "dutch", "no": "norwegian",
    "nb": "norwegian", "pt": "portuguese", "ro": "romanian", "ru": "russian",
    "sv": "swedish", "tr": "turkish",
}

_WORD = re.compile(r"[^\W_]+")
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def search_config(site: Site) -> str:
    """The PostgreSQL text search configuration for a site's language."""
    return PG_CONFIGS.get((site.language or "").lower().split("-")[0], "simple")


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


# --- Queries --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clause:
    words: tuple[str, ...]
    negated: bool = False
    phrase: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    """What a reader typed, made safe to search for.

    The syntax is the one PostgreSQL's `websearch_to_tsquery` reads, on both databases:
    words (all must match), "quoted phrases", `or` between words, and `-word` to exclude.
    Anything else is only words: FTS5 operators, quotes and stars a reader types are never
    passed to the engine as syntax."""

    text: str
    clauses: tuple[Clause | str, ...] = field(default=())

    @property
    def terms(self) -> list[str]:
        """The words to find and highlight (not the excluded ones)."""
        return [w for c in self.clauses if isinstance(c, Clause) and not c.negated
                for w in c.words]

    def __bool__(self) -> bool:
        return bool(self.terms)


def parse_query(raw: str | None) -> ParsedQuery:
    """Parse a reader's query; an empty, huge or odd one gives an empty or capped query,
    never an error."""
    text = " ".join((raw or "").split())[:MAX_QUERY_LENGTH].strip()
    text = "".join(ch for ch in text if ch.isprintable())
    clauses: list[Clause | str] = []
    count = 0
    for match in _TOKEN.finditer(text):
        negated, quoted, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None and bare.lower() == "or":
            if clauses and clauses[-1] != "OR":
                clauses.append("OR")
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            negated, bare = "-", bare[1:]
        words = tuple(w.lower() for w in _WORD.findall(quoted if quoted is not None else bare))
        words = words[: MAX_TERMS - count]
        if not words:
            continue
        count += len(words)
        clauses.append(Clause(words=words, negated=bool(negated),
                              phrase=quoted is not None or len(words) > 1))
        if count >= MAX_TERMS:
            break
    while clauses and clauses[-1] == "OR":
        clauses.pop()
    return ParsedQuery(text=text, clauses=tuple(clauses))


def fts5_expression(query: ParsedQuery) -> str:
    """The query as an FTS5 expression: every word quoted (so nothing a reader types is
    FTS5 syntax), bare words matched as prefixes, exclusions as a trailing NOT."""
    parts: list[str] = []
    negatives: list[str] = []
    for clause in query.clauses:
        if clause == "OR":
            if parts and parts[-1] != "OR":
                parts.append("OR")
            continue
        assert isinstance(clause, Clause)
        quoted = '"' + " ".join(w.replace('"', '""') for w in clause.words) + '"'
        if not clause.phrase and len(clause.words[0]) >= 3:
            quoted += " *"
        (negatives if clause.negated else parts).append(quoted)
    while parts and parts[0] == "OR":
        parts.pop(0)
    while parts and parts[-1] == "OR":
        parts.pop()
    if not parts:
        return ""
    expression = " ".join(parts)
    if negatives:
        expression = f"({expression}) NOT ({' OR '.join(negatives)})"
    return expression


# --- Searching ------------------------------------------------------------------------------


def search_posts(*, site: Site, query: ParsedQuery,
                 queryset: QuerySet | None = None) -> QuerySet:
    """The site's published posts and pages matching `query`, best first, each with
    `search_rank` (higher is better) and its `search_document` loaded for the excerpt."""
    posts = queryset if queryset is not None else Post.objects.for_site(site).published()
    if not query:
        return posts.none()
    if _is_postgresql():
        search = SearchQuery(query.text, search_type="websearch", config=search_config(site))
        ranked = posts.filter(search_document__vector=search).annotate(
            search_rank=SearchRank(F("search_document__vector"), search))
    else:
        expression = fts5_expression(query)
        if not expression:
            return posts.none()
        ranked = _fts5_ranked(posts, expression, site)
    return (ranked.select_related("search_document").defer("search_document__vector")
            .order_by("-search_rank", "-published_at", "-pk"))


# The FTS5 table is keyed by post id; bm25 weighs (site_id, title, tags, body): a word in the
# title counts ten times one in the body. bm25 is better when lower, hence the minus.
_FTS5_RANK = "-bm25(reader_search_fts, 0.0, 10.0, 5.0, 1.0)"
# The unary + keeps SQLite from driving the join from the posts table (one full-text query
# per post): the MATCH leads, and each match finds its post by primary key.
_FTS5_WHERE = ['"content_post"."id" = +reader_search_fts.rowid',
               "reader_search_fts MATCH %s", "reader_search_fts.site_id = %s"]


def _fts5_ranked(posts: QuerySet, expression: str, site: Site) -> QuerySet:
    # A join, so the full-text query runs once and drives the lookup of posts (a correlated
    # subquery per row would run it once per match). `extra()` because the ORM cannot join a
    # virtual table; the SQL is constant and the reader's words travel as a parameter.
    return posts.extra(  # noqa: S610
        tables=["reader_search_fts"], where=_FTS5_WHERE, params=[expression, site.pk],
        select={"search_rank": _FTS5_RANK})


def similar_posts(*, site: Site, post: Post, queryset: QuerySet, words: Iterable[str],
                  limit: int = 30) -> list[tuple[int, float]]:
    """Posts of `queryset` sharing any of `words` (an OR query), with a score from 0 to 1
    relative to the best match: the text half of "related posts"."""
    words = list(dict.fromkeys(w for w in words if w))[:MAX_TERMS]
    if not words:
        return []
    if _is_postgresql():
        config = search_config(site)
        search = SearchQuery(words[0], config=config)
        for word in words[1:]:
            search |= SearchQuery(word, config=config)
        ranked = queryset.filter(search_document__vector=search).annotate(
            search_rank=SearchRank(F("search_document__vector"), search))
    else:
        expression = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
        ranked = _fts5_ranked(queryset, expression, site)
    rows = list(ranked.exclude(pk=post.pk).order_by("-search_rank", "-pk")
                .values_list("pk", "search_rank")[:limit])
    best = max((rank for _, rank in rows), default=0) or 1
    return [(pk, max(rank, 0) / best) for pk, rank in rows]


# --- Highlighting ---------------------------------------------------------------------------


def _stem(word: str) -> str:
    # Enough stemming for highlighting what the engines matched ("gardens" → garden…).
    for suffix in ("ings", "ing", "ies", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _matcher(terms: Iterable[str]) -> re.Pattern | None:
    stems = sorted({_stem(t.lower()) for t in terms if t}, key=len, reverse=True)
    if not stems:
        return None
    alternatives = "|".join(re.escape(s) for s in stems)
    return re.compile(rf"(?<![^\W_])(?:{alternatives})[^\W_]*", re.IGNORECASE)


def highlight(text: str, terms: Iterable[str]) -> SafeString:
    """`text` escaped, with every word that starts like a search term in `<mark>`."""
    matcher = _matcher(terms)
    if matcher is None:
        return format_html("{}", text)
    parts, last = [], 0
    for match in matcher.finditer(text):
        parts.append(format_html("{}<mark>{}</mark>", text[last:match.start()], match.group()))
        last = match.end()
    parts.append(format_html("{}", text[last:]))
    return format_html_join("", "{}", ((part,) for part in parts))


def excerpt(text: str, terms: Iterable[str], length: int = EXCERPT_CHARS) -> SafeString:
    """About `length` characters of plain `text` around the first matched word, escaped
    and highlighted; the opening words when nothing in the text matched."""
    terms = list(terms)
    matcher = _matcher(terms)
    found = matcher.search(text) if matcher is not None else None
    start = 0
    if found is not None and found.start() > length // 3:
        start = text.rfind(" ", 0, found.start() - length // 4) + 1
    end = start + length
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    window = text[start:end].strip()
    if not window:
        return format_html("{}", "")
    return format_html("{}{}{}", "…" if start > 0 else "", highlight(window, terms),
                       "…" if end < len(text) else "")


# --- Keeping the index -----------------------------------------------------------------------


def _document_fields(post: Post) -> dict:
    names = [t.name for t in post.tags.all()] + [c.name for c in post.categories.all()]
    body = "" if post.password else plain_text(post.html)[:MAX_INDEXED_CHARS]
    return {"site_id": post.site_id, "title": post.title, "tags": " ".join(names),
            "body": body, "config": search_config(post.site)}


def _vector() -> SearchVector:
    return (SearchVector("title", weight="A", config=F("config"))
            + SearchVector("tags", weight="B", config=F("config"))
            + SearchVector("body", weight="C", config=F("config")))


def index_post(post_id: int) -> None:
    """Bring one post's search document up to date (see `index_posts`)."""
    index_posts([post_id])


_DOCUMENT_FIELDS = ["site", "title", "tags", "body", "config", "indexed_at"]


def _write_documents(posts: QuerySet, batch_size: int) -> int:
    posts = posts.select_related("site").prefetch_related("tags", "categories").order_by("pk")
    count = 0
    batch: list[SearchDocument] = []
    for post in posts.iterator(chunk_size=batch_size):
        batch.append(SearchDocument(post=post, **_document_fields(post)))
        if len(batch) >= batch_size:
            count += _upsert(batch)
            batch = []
    return count + _upsert(batch)


def _upsert(documents: list[SearchDocument]) -> int:
    if documents:
        SearchDocument.objects.bulk_create(
            documents, update_conflicts=True, unique_fields=["post"],
            update_fields=_DOCUMENT_FIELDS)
    return len(documents)


@transaction.atomic
def index_posts(post_ids: Iterable[int], *, batch_size: int = 500) -> int:
    """Bring these posts' search documents up to date, and drop those of posts that are
    gone; return how many were written. Idempotent: it reads the posts as committed, so
    it may run after every commit that touched them, as often as it likes."""
    ids = sorted(set(post_ids))
    count = 0
    for start in range(0, len(ids), batch_size):
        chunk = ids[start:start + batch_size]
        count += _write_documents(Post.objects.filter(pk__in=chunk), batch_size)
        SearchDocument.objects.filter(post_id__in=chunk).exclude(
            post_id__in=Post.objects.filter(pk__in=chunk).values("pk")).delete()
        if _is_postgresql():
            SearchDocument.objects.filter(post_id__in=chunk).update(vector=_vector())
    return count


@transaction.atomic
def reindex_site(site: Site, *, batch_size: int = 500) -> int:
    """Rebuild a site's whole search index (after an import, or with `byline
    search_reindex`); return the number of posts indexed."""
    SearchDocument.objects.filter(site=site).delete()
    count = _write_documents(Post.objects.for_site(site), batch_size)
    if _is_postgresql():
        SearchDocument.objects.filter(site=site).update(vector=_vector())
    return count
