"""What an author's post body can and cannot smuggle into a reader's browser."""

from html.parser import HTMLParser

import pytest

from byline.rendering import render_html, render_markdown, sanitize_post_html

# Elements that must never come out of the sanitiser: scripting, foreign
# content (mXSS playgrounds), raw-text elements, plugins and forms.
FORBIDDEN_TAGS = frozenset(
    {
        "svg",
        "math",
        "style",
        "noscript",
        "script",
        "title",
        "textarea",
        "xmp",
        "noembed",
        "noframes",
        "plaintext",
        "object",
        "embed",
        "form",
        "button",
        "select",
        "template",
    }
)

MXSS_CASES = [
    "<svg><style><img src=x onerror=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    (
        '<math><annotation-xml encoding="text/html"><style><img src=x onerror=alert(1)></style>'
        "</annotation-xml></math>"
    ),
    "<svg><iframe>&lt;img src=x onerror=alert(1)&gt;</iframe></svg>",
    "<iframe src=https://www.youtube.com/embed/x><script>alert(1)</script></iframe>",
    '<svg><p><style><img src="</style><img src=x onerror=alert(1)>">',
    "<template><img src=x onerror=alert(1)></template>",
    "<textarea><img src=x onerror=alert(1)></textarea>",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<plaintext><img src=x onerror=alert(1)>",
]

ATTRIBUTE_BREAKOUT_CASES = [
    '[caption code=">]<a title=" onmouseover=alert(1)">x</a>',
    "<a title='x\" onmousemove=alert(1) '>y</a>",
]


class _Inventory(HTMLParser):
    """Everything a (lenient, Python) HTML parser sees as markup."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str | None]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((tag, name, value) for name, value in attrs)


def _event_handlers(html: str) -> list[str]:
    return [name for _tag, name, _value in _Inventory(html).attributes if name.startswith("on")]


# --- 11: scripts and dangerous URL schemes written in Markdown ---------------


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "[x]( JaVaScRiPt:alert(1))",
        "[x](vbscript:msgbox)",
        "![x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](java\tscript:alert(1))",
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        "[x][ref]\n\n[ref]: javascript:alert(1)",
        '<img src="https://ok.example/a.png" srcset="javascript:alert(1) 1x">',
        '<blockquote cite="javascript:alert(1)">q</blockquote>',
    ],
)
def test_markdown_post_cannot_carry_script_or_dangerous_urls(source: str) -> None:
    html = render_markdown(source).lower()

    for needle in ("<script", "onerror", "javascript:", "vbscript:", "data:"):
        assert needle not in html


def test_refused_markdown_link_keeps_its_text_without_an_href() -> None:
    assert render_markdown("[click](javascript:alert(1))") == (
        '<p><a rel="noopener noreferrer">click</a></p>\n'
    )


def test_autolink_with_javascript_scheme_is_not_a_link() -> None:
    html = render_markdown("<javascript:alert(1)>")

    assert "href" not in html


@pytest.mark.parametrize(
    ("tag", "url"),
    [
        ("blockquote", "javascript:alert(1)"),
        ("q", "data:text/html,<script>alert(1)</script>"),
        ("blockquote", " \tJaVa\nScRiPt:alert(1)"),
        ("q", "vbscript:msgbox"),
    ],
)
def test_cite_with_a_dangerous_scheme_is_dropped(tag: str, url: str) -> None:
    assert sanitize_post_html(f'<{tag} cite="{url}">x</{tag}>') == f"<{tag}>x</{tag}>"


def test_cite_with_an_http_url_is_kept() -> None:
    source = '<blockquote cite="https://example.com/speech">x</blockquote>'

    assert sanitize_post_html(source) == source


def test_data_uri_image_loses_its_src() -> None:
    assert render_markdown("![pixel](data:image/png;base64,AAAA)") == '<p><img alt="pixel"></p>\n'


# --- 12: attribute breakouts -------------------------------------------------


@pytest.mark.parametrize("source", ATTRIBUTE_BREAKOUT_CASES)
@pytest.mark.parametrize("render", [render_markdown, render_html], ids=["markdown", "html"])
def test_quotes_in_attributes_cannot_break_out_into_event_handlers(source, render) -> None:
    assert _event_handlers(render(source)) == []


@pytest.mark.parametrize("source", ATTRIBUTE_BREAKOUT_CASES + MXSS_CASES)
def test_sanitising_twice_changes_nothing(source: str) -> None:
    once = sanitize_post_html(source)

    assert sanitize_post_html(once) == once


# --- 13: mutation XSS --------------------------------------------------------


@pytest.mark.parametrize("source", MXSS_CASES)
def test_mxss_payload_leaves_no_dangerous_elements(source: str) -> None:
    html = sanitize_post_html(source)
    inventory = _Inventory(html)

    assert FORBIDDEN_TAGS.isdisjoint(inventory.tags)
    assert _event_handlers(html) == []


@pytest.mark.parametrize("source", MXSS_CASES)
def test_mxss_payload_leaves_no_iframe_outside_the_embed_allowlist(source: str) -> None:
    inventory = _Inventory(sanitize_post_html(source))
    srcs = [value for tag, name, value in inventory.attributes if tag == "iframe" and name == "src"]

    assert inventory.tags.count("iframe") == len(srcs)
    assert all(src.startswith("https://www.youtube.com/") for src in srcs)


@pytest.mark.parametrize("tag", sorted(FORBIDDEN_TAGS))
def test_forbidden_element_is_removed(tag: str) -> None:
    html = sanitize_post_html(f"<p>before</p><{tag} id=x>inside</{tag}><p>after</p>")

    assert f"<{tag}" not in html
    assert "<p>before</p>" in html


@pytest.mark.parametrize("tag", ["script", "style", "noscript", "textarea", "select", "svg"])
def test_contents_of_non_prose_elements_are_dropped_not_shown(tag: str) -> None:
    assert sanitize_post_html(f"<{tag}>body {{ color: red }}</{tag}>ok") == "ok"


# --- 4: emoji and non-BMP text -----------------------------------------------


def test_quote_with_emoji_keeps_the_q_element_and_exact_bytes() -> None:
    source = "<q cite='x 🔥'>fire 🔥 emoji 👩‍👩‍👧</q>"

    html = render_html(source)

    assert html == '<q cite="x 🔥">fire 🔥 emoji 👩‍👩‍👧</q>'
    assert "🔥".encode() == b"\xf0\x9f\x94\xa5"
    assert "fire 🔥 emoji 👩‍👩‍👧".encode() in html.encode()


# --- embeds --------------------------------------------------------------------


def test_youtube_embed_survives() -> None:
    source = (
        '<iframe src="https://www.youtube.com/embed/abc" width="560" height="315" '
        'title="Video" allowfullscreen="" loading="lazy"></iframe>'
    )

    assert sanitize_post_html(source) == source


@pytest.mark.parametrize(
    "src",
    [
        "https://evil.example/",
        "http://www.youtube.com/embed/abc",
        "//www.youtube.com/embed/abc",
        "/embed/abc",
        "javascript:alert(1)",
        "https://www.youtube.com@evil.example/",
        "https://evil.example\\@www.youtube.com/",
        "https://www.youtube.com.evil.example/",
        "https://www.youtube.com:8443/embed/abc",
        "https://evil.example/?u=https://www.youtube.com/",
    ],
)
def test_iframe_from_outside_the_embed_allowlist_vanishes(src: str) -> None:
    html = sanitize_post_html(f'<p>a</p><iframe src="{src}">fallback</iframe><p>b</p>')

    assert html == "<p>a</p><p>b</p>"


def test_iframe_without_src_vanishes() -> None:
    assert sanitize_post_html("<iframe srcdoc='<script>alert(1)</script>'></iframe>") == ""


def test_iframe_content_is_dropped() -> None:
    html = sanitize_post_html(
        '<iframe src="https://player.vimeo.com/video/1"><img src=x onerror=alert(1)></iframe>'
    )

    assert html == '<iframe src="https://player.vimeo.com/video/1"></iframe>'


def test_iframe_permissions_are_limited_to_harmless_features() -> None:
    html = sanitize_post_html(
        '<iframe src="https://open.spotify.com/embed/x" '
        'allow="autoplay; camera *; encrypted-media; microphone"></iframe>'
    )

    assert 'allow="autoplay; encrypted-media"' in html


def test_markup_that_mentions_iframe_in_an_attribute_is_left_alone() -> None:
    source = (
        '<a title="<iframe>" href="/x">x</a>'
        '<iframe src="https://www.openstreetmap.org/export/embed.html"></iframe>'
    )

    assert sanitize_post_html(source) == (
        '<a title="&lt;iframe&gt;" href="/x" rel="noopener noreferrer">x</a>'
        '<iframe src="https://www.openstreetmap.org/export/embed.html"></iframe>'
    )


# --- attributes ----------------------------------------------------------------


def test_only_footnote_and_task_list_classes_survive() -> None:
    html = sanitize_post_html('<section class="footnotes hero"><p class="lead">x</p></section>')

    assert html == '<section class="footnotes"><p>x</p></section>'


@pytest.mark.parametrize("value", ["fn1", "fnref12", "fnref3:2"])
def test_footnote_ids_survive(value: str) -> None:
    assert sanitize_post_html(f'<li id="{value}">x</li>') == f'<li id="{value}">x</li>'


# "fn\u0661" ends in an Arabic-Indic digit, which a careless \d would accept.
@pytest.mark.parametrize("value", ["main", "fn", "fn1x", "fn\u0661", "content"])
def test_other_ids_are_dropped(value: str) -> None:
    assert sanitize_post_html(f'<div id="{value}">x</div>') == "<div>x</div>"


def test_style_attribute_is_dropped() -> None:
    assert sanitize_post_html('<p style="position:fixed">x</p>') == "<p>x</p>"


def test_html_comments_are_stripped() -> None:
    assert sanitize_post_html("<p>a<!-- secret --></p>") == "<p>a</p>"


def test_srcset_with_a_data_candidate_is_dropped_but_src_kept() -> None:
    html = sanitize_post_html(
        '<img src="https://cdn.example/a.png" srcset="https://cdn.example/a.png 1x, '
        'data:image/png;base64,AAAA 2x">'
    )

    assert html == '<img src="https://cdn.example/a.png">'


def test_any_input_becomes_an_inert_checkbox() -> None:
    html = sanitize_post_html('<input type="text" name="card" value="1234" autofocus>')

    assert html == '<input aria-label="not done" disabled="disabled" type="checkbox">'
