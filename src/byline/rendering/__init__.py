"""Turning what authors and readers write into HTML that is safe to serve.

Pure functions only: no Django, no other byline apps, no I/O.
"""

from __future__ import annotations

from byline.rendering.markdown import render_comment, render_markdown
from byline.rendering.sanitize import (
    render_html,
    sanitize_comment_html,
    sanitize_post_html,
)
from byline.rendering.text import extract_links, make_excerpt, plain_text, reading_time

__all__ = [
    "extract_links",
    "make_excerpt",
    "plain_text",
    "reading_time",
    "render",
    "render_comment",
    "render_html",
    "render_markdown",
    "sanitize_comment_html",
    "sanitize_post_html",
]


def render(source: str, source_format: str) -> str:
    """Render a post body to sanitised HTML.

    ``source_format`` is ``"markdown"`` or ``"html"``; anything else raises
    ``ValueError`` rather than guessing, since a wrong guess would mangle the post.
    """
    if source_format == "markdown":
        return render_markdown(source)
    if source_format == "html":
        return render_html(source)
    raise ValueError(f"unknown source format: {source_format!r}")
