"""Plain-text views of a rendered post: excerpts, search text, links, reading time."""

import pytest

from byline.rendering import (
    extract_links,
    make_excerpt,
    plain_text,
    reading_time,
    render_markdown,
)


def test_plain_text_strips_tags_and_decodes_entities() -> None:
    assert plain_text("<p>Fish &amp; chips &lt;3 &eacute;</p>") == "Fish & chips <3 é"


def test_plain_text_keeps_words_in_separate_blocks_apart() -> None:
    assert plain_text("<h2>Title</h2><p>One</p><ul><li>two</li><li>three</li></ul>") == (
        "Title One two three"
    )


def test_plain_text_does_not_split_words_at_inline_tags() -> None:
    assert plain_text("<p>un<em>believ</em>able</p>") == "unbelievable"


def test_plain_text_collapses_whitespace() -> None:
    assert plain_text("<pre>a\n\n    b\tc</pre>\n\n<p>  d  </p>") == "a b c d"


def test_plain_text_keeps_footnotes_but_not_their_markers() -> None:
    html = render_markdown("Claim.[^1]\n\n[^1]: The source.\n")

    assert plain_text(html) == "Claim. The source."


def test_plain_text_ignores_script_and_style_in_unsanitised_html() -> None:
    assert plain_text("<style>p{}</style><p>text</p><script>x()</script>") == "text"


def test_excerpt_of_short_text_is_the_whole_text_without_ellipsis() -> None:
    assert make_excerpt("<p>Just a few words.</p>") == "Just a few words."


def test_excerpt_cuts_at_word_count_and_ends_with_ellipsis() -> None:
    assert make_excerpt("<p>one two three four five</p>", words=3) == "one two three…"


def test_excerpt_does_not_leave_a_dangling_comma_before_the_ellipsis() -> None:
    assert make_excerpt("<p>apples, pears, plums</p>", words=2) == "apples, pears…"


def test_excerpt_defaults_to_fifty_five_words() -> None:
    html = "<p>" + " ".join(f"w{i}" for i in range(100)) + "</p>"

    excerpt = make_excerpt(html)

    assert excerpt.endswith("w54…")
    assert len(excerpt.split()) == 55


def test_excerpt_decodes_entities_and_drops_tags() -> None:
    assert make_excerpt("<p>Tom &amp; <strong>Jerry</strong></p>") == "Tom & Jerry"


def test_excerpt_leaves_out_footnotes() -> None:
    html = render_markdown("Claim.[^1]\n\n[^1]: The source.\n")

    assert make_excerpt(html) == "Claim."


def test_excerpt_keeps_code_text() -> None:
    assert make_excerpt("<p>Run <code>make</code> first.</p>") == "Run make first."


def test_excerpt_rejects_zero_words() -> None:
    with pytest.raises(ValueError):
        make_excerpt("<p>x</p>", words=0)


def test_extract_links_returns_absolute_http_links_in_order_without_duplicates() -> None:
    html = (
        '<p><a href="https://b.example/">b</a> <a href="http://a.example/x?y=1">a</a> '
        '<a href="https://b.example/">b again</a></p>'
    )

    assert extract_links(html) == ["https://b.example/", "http://a.example/x?y=1"]


@pytest.mark.parametrize(
    "href", ["/about/", "#fn1", "mailto:me@example.com", "ftp://files.example/", "https://", ""]
)
def test_extract_links_ignores_non_http_and_relative_links(href: str) -> None:
    assert extract_links(f'<a href="{href}">x</a>') == []


def test_extract_links_ignores_images_and_anchors_without_href() -> None:
    assert extract_links('<img src="https://cdn.example/a.png"><a name="x">x</a>') == []


def test_reading_time_is_at_least_one_minute() -> None:
    assert reading_time("") == 1
    assert reading_time("<p>short</p>") == 1


def test_reading_time_rounds_up_whole_minutes() -> None:
    html = "<p>" + "word " * 461 + "</p>"

    assert reading_time(html) == 3


def test_reading_time_uses_the_given_pace() -> None:
    html = "<p>" + "word " * 100 + "</p>"

    assert reading_time(html, words_per_minute=50) == 2
