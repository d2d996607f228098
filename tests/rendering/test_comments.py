"""Reader comments: Markdown-lite in, a small and strict HTML allowlist out."""

from html.parser import HTMLParser

import pytest

from byline.rendering import render_comment, sanitize_comment_html

COMMENT_REL = "nofollow ugc noopener noreferrer"
COMMENT_TAGS = frozenset(
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


class _Inventory(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: set[tuple[str, str]] = set()
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update((tag, name) for name, _value in attrs)


def _assert_only_comment_markup(html: str) -> None:
    inventory = _Inventory(html)
    assert inventory.tags <= COMMENT_TAGS
    assert inventory.attributes <= {
        ("a", "href"),
        ("a", "title"),
        ("a", "rel"),
        ("abbr", "title"),
        ("blockquote", "cite"),
        ("q", "cite"),
    }
    assert "javascript:" not in html.lower()


# --- 15: sanitize_comment_html allowlist -------------------------------------


@pytest.mark.parametrize(
    "tag", sorted(COMMENT_TAGS - {"a", "abbr", "blockquote", "q", "br", "li", "pre", "code"})
)
def test_allowed_inline_and_block_tags_survive(tag: str) -> None:
    assert sanitize_comment_html(f"<{tag}>x</{tag}>") == f"<{tag}>x</{tag}>"


@pytest.mark.parametrize(
    "html",
    [
        "<p>a<br>b</p>",
        "<ul><li>x</li></ul>",
        "<ol><li>x</li></ol>",
        "<pre><code>x = 1</code></pre>",
        '<abbr title="HyperText Markup Language">HTML</abbr>',
        '<blockquote cite="https://example.com/">x</blockquote>',
        '<q cite="https://example.com/">x</q>',
        f'<a href="https://example.com/" title="Example" rel="{COMMENT_REL}">x</a>',
    ],
)
def test_allowed_structures_and_attributes_survive(html: str) -> None:
    assert sanitize_comment_html(html) == html


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<img src="https://example.com/a.png" alt="a">', ""),
        ("<h1>Shout</h1>", "Shout"),
        ("<table><tr><td>cell</td></tr></table>", "cell"),
        ("<div>block</div>", "block"),
        ("<span>inline</span>", "inline"),
        ('<p style="color:red">styled</p>', "<p>styled</p>"),
        ('<p class="admin">classy</p>', "<p>classy</p>"),
        ('<p id="comments">anchored</p>', "<p>anchored</p>"),
        ('<p onclick="alert(1)">clicky</p>', "<p>clicky</p>"),
        ('<iframe src="https://www.youtube.com/embed/x"></iframe>', ""),
        ("<script>alert(1)</script>", ""),
    ],
    ids=[
        "img",
        "h1",
        "table",
        "div",
        "span",
        "style-attr",
        "class",
        "id",
        "onclick",
        "iframe",
        "script",
    ],
)
def test_disallowed_tags_and_attributes_are_stripped(html: str, expected: str) -> None:
    assert sanitize_comment_html(html) == expected


def test_comment_links_are_nofollow_ugc() -> None:
    html = sanitize_comment_html('<a href="https://spam.example/">cheap</a>')

    assert html == f'<a href="https://spam.example/" rel="{COMMENT_REL}">cheap</a>'


def test_commenter_cannot_choose_their_own_rel() -> None:
    html = sanitize_comment_html('<a href="https://example.com/" rel="me">x</a>')

    assert f'rel="{COMMENT_REL}"' in html
    assert 'rel="me"' not in html


@pytest.mark.parametrize(
    "href", ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,x", "vbscript:x"]
)
def test_comment_link_with_dangerous_scheme_loses_its_href(href: str) -> None:
    assert sanitize_comment_html(f'<a href="{href}">x</a>') == f'<a rel="{COMMENT_REL}">x</a>'


def test_comment_quote_with_javascript_cite_loses_it() -> None:
    assert sanitize_comment_html('<q cite="javascript:alert(1)">x</q>') == "<q>x</q>"


def test_comment_html_comments_are_stripped() -> None:
    assert sanitize_comment_html("<p>hi<!-- hidden --></p>") == "<p>hi</p>"


# --- render_comment: Markdown-lite --------------------------------------------


def test_raw_html_in_a_comment_is_shown_as_text() -> None:
    assert render_comment("<b>bold?</b> <script>alert(1)</script>") == (
        "<p>&lt;b&gt;bold?&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    )


def test_comment_emphasis_and_strikethrough_render() -> None:
    assert render_comment("*a* **b** ~~c~~") == "<p><em>a</em> <strong>b</strong> <s>c</s></p>\n"


def test_comment_link_renders_with_nofollow_ugc() -> None:
    assert render_comment("[me](https://example.com/)") == (
        f'<p><a href="https://example.com/" rel="{COMMENT_REL}">me</a></p>\n'
    )


def test_bare_url_in_a_comment_is_not_linkified() -> None:
    assert render_comment("see https://example.com/") == "<p>see https://example.com/</p>\n"


def test_comment_heading_syntax_stays_plain_text() -> None:
    assert render_comment("# Not a heading") == "<p># Not a heading</p>\n"


def test_comment_image_syntax_does_not_embed_an_image() -> None:
    html = render_comment("![tracker](https://evil.example/pixel.gif)")

    assert "<img" not in html


def test_comment_fenced_code_renders_escaped() -> None:
    html = render_comment("```\n<b>x</b>\n```")

    assert html == "<pre><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>\n"


def test_comment_inline_code_renders() -> None:
    assert render_comment("use `pip`") == "<p>use <code>pip</code></p>\n"


def test_comment_blockquote_renders() -> None:
    assert render_comment("> you said") == "<blockquote>\n<p>you said</p>\n</blockquote>\n"


def test_comment_lists_render() -> None:
    assert render_comment("- a\n- b") == "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"


def test_comment_newline_is_a_line_break() -> None:
    assert render_comment("line one\nline two") == "<p>line one<br>\nline two</p>\n"


def test_comment_javascript_link_keeps_only_its_text() -> None:
    assert render_comment("[x](javascript:alert(1))") == f'<p><a rel="{COMMENT_REL}">x</a></p>\n'


# --- 10: pathological input ----------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "[" * 20_000 + " " + " ".join(f"https://example.com/{i}" for i in range(5_000)),
        " ".join(f"<https://example.com/{i}>" for i in range(2_000)),
        "> " * 5_000 + "deep",
        "\n".join("> " * depth + "x" for depth in range(1, 500)),
        "[a](" * 5_000,
        "*a" * 10_000,
        "`" * 10_000,
        "![" * 10_000,
        "- " * 5_000 + "x",
        "<" * 10_000,
    ],
    ids=[
        "brackets-and-urls",
        "autolinks",
        "nested-quotes",
        "staircase-quotes",
        "unclosed-links",
        "emphasis",
        "backticks",
        "image-openers",
        "nested-lists",
        "angle-brackets",
    ],
)
def test_pathological_comment_finishes_and_is_safe(source: str) -> None:
    html = render_comment(source)

    _assert_only_comment_markup(html)
