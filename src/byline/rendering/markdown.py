"""Markdown rendering for post bodies and reader comments."""

from __future__ import annotations

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from byline.rendering.sanitize import sanitize_comment_html, sanitize_post_html

__all__ = ["render_comment", "render_markdown"]


def _accept_any_link(url: str) -> bool:
    # markdown-it's own check leaves a refused link as literal Markdown, so a
    # `javascript:` URL would still appear as text in the page. Emitting the
    # link and letting nh3 (the one place that decides URL schemes) strip the
    # href shows the reader just the link text.
    return True


def _build_post_parser() -> MarkdownIt:
    md = (
        # html=True: authors may write raw HTML (<figure>, <details>, embeds);
        # the sanitiser, not the parser, decides what survives.
        MarkdownIt("commonmark", {"html": True, "linkify": False})
        .enable(["table", "strikethrough"])
        .use(footnote_plugin)
        # enabled=False renders the checkboxes disabled: a reader ticking a
        # box in someone else's post would change nothing.
        .use(tasklists_plugin, enabled=False)
    )
    md.validateLink = _accept_any_link
    return md


def _build_comment_parser() -> MarkdownIt:
    md = (
        # html=False: a commenter's `<b>` is shown as text, not interpreted.
        # breaks=True: commenters type in a plain textarea and expect a
        # newline to be a line break.
        MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True})
        .enable(["strikethrough"])
        .disable(["heading", "lheading", "hr", "image", "html_block", "html_inline"])
    )
    md.validateLink = _accept_any_link
    return md


# Parsers hold configuration only; per-render state lives in the env/state
# objects markdown-it creates for each call, so sharing them is safe.
_post_parser = _build_post_parser()
_comment_parser = _build_comment_parser()


def render_markdown(source: str) -> str:
    """Render a post body written in Markdown to sanitised HTML.

    CommonMark plus tables, strikethrough, footnotes and task lists; raw HTML
    is allowed in the source and then filtered by ``sanitize_post_html``.
    """
    return sanitize_post_html(_post_parser.render(source))


def render_comment(source: str) -> str:
    """Render a reader comment ("Markdown-lite") to sanitised HTML.

    Paragraphs, emphasis, links, inline and fenced code, blockquotes, lists and
    strikethrough. Headings, images and rules are not recognised, and raw HTML
    is escaped so it reads as typed. The result is passed through
    ``sanitize_comment_html``.
    """
    return sanitize_comment_html(_comment_parser.render(source))
