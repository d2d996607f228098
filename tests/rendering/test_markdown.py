"""Markdown features an author can rely on in a post body."""

import pytest

from byline.rendering import render, render_html, render_markdown


def test_pipe_table_renders_as_html_table() -> None:
    html = render_markdown("| Fruit | Count |\n|---|---:|\n| apple | 3 |\n")

    assert "<table>" in html
    assert "<th>Fruit</th>" in html
    assert "<td>apple</td>" in html


def test_table_column_alignment_does_not_leak_an_inline_style() -> None:
    html = render_markdown("| a | b |\n|:-:|--:|\n| 1 | 2 |\n")

    assert "style=" not in html
    assert "<td>1</td>" in html


def test_footnote_reference_links_to_the_footnote_and_back() -> None:
    html = render_markdown("Claim.[^1]\n\n[^1]: Source.\n")

    assert '<sup class="footnote-ref"><a href="#fn1" id="fnref1"' in html
    assert '<li id="fn1" class="footnote-item">' in html
    assert 'href="#fnref1" class="footnote-backref"' in html


def test_footnotes_are_collected_in_a_section_after_a_rule() -> None:
    html = render_markdown("Claim.[^note]\n\n[^note]: Named footnote.\n")

    assert '<hr class="footnotes-sep">' in html
    assert '<section class="footnotes">' in html
    assert "Named footnote." in html


def test_repeated_footnote_reference_gets_its_own_anchor() -> None:
    html = render_markdown("One[^1] two[^1]\n\n[^1]: Shared.\n")

    assert 'id="fnref1:1"' in html
    assert 'href="#fnref1:1"' in html


def test_strikethrough_renders_as_s() -> None:
    assert render_markdown("~~gone~~") == "<p><s>gone</s></p>\n"


def test_task_list_items_render_as_disabled_checkboxes() -> None:
    html = render_markdown("- [ ] write\n- [x] publish\n")

    assert '<ul class="contains-task-list">' in html
    assert (
        '<li class="task-list-item"><input class="task-list-item-checkbox" '
        'aria-label="not done" disabled="disabled" type="checkbox"> write</li>'
    ) in html
    assert (
        '<input class="task-list-item-checkbox" aria-label="done" checked="checked" '
        'disabled="disabled" type="checkbox"> publish'
    ) in html


def test_fenced_code_is_escaped_inside_pre_code() -> None:
    html = render_markdown('```python\nprint("<b>hi</b>")\n```\n')

    assert html == '<pre><code>print("&lt;b&gt;hi&lt;/b&gt;")\n</code></pre>\n'


def test_blockquote_renders() -> None:
    assert render_markdown("> quoted") == "<blockquote>\n<p>quoted</p>\n</blockquote>\n"


def test_raw_html_figure_with_figcaption_survives() -> None:
    source = (
        '<figure><img src="https://cdn.example/cat.jpg" alt="A cat">'
        "<figcaption>The cat.</figcaption></figure>\n"
    )

    assert render_markdown(source) == source


def test_image_with_http_srcset_survives() -> None:
    source = (
        '<img src="https://cdn.example/a.jpg" '
        'srcset="https://cdn.example/a-480.jpg 480w, http://cdn.example/a-800.jpg 800w, '
        '/media/a-1200.jpg 1200w" sizes="(max-width: 600px) 480px, 800px" alt="A" '
        'width="800" height="600" loading="lazy">'
    )

    assert render_markdown(source) == source


def test_picture_sources_with_https_srcset_survive() -> None:
    source = (
        '<picture><source srcset="https://cdn.example/a.avif" type="image/avif" '
        'media="(min-width: 600px)"><img src="https://cdn.example/a.jpg" alt="A"></picture>'
    )

    assert render_markdown(source) == f"<p>{source}</p>\n"


def test_markdown_image_keeps_src_alt_and_title() -> None:
    html = render_markdown('![A cat](https://cdn.example/cat.jpg "Cat")')

    assert html == '<p><img src="https://cdn.example/cat.jpg" alt="A cat" title="Cat"></p>\n'


def test_authors_links_are_noopener_but_still_followed() -> None:
    html = render_markdown("[site](https://example.com/)")

    assert html == ('<p><a href="https://example.com/" rel="noopener noreferrer">site</a></p>\n')


def test_relative_and_mailto_links_are_kept() -> None:
    html = render_markdown("[about](/about/) [mail](mailto:me@example.com)")

    assert 'href="/about/"' in html
    assert 'href="mailto:me@example.com"' in html


def test_details_and_summary_written_as_raw_html_survive() -> None:
    source = "<details><summary>Spoiler</summary><p>It was the butler.</p></details>\n"

    assert render_markdown(source) == source


def test_render_dispatches_markdown() -> None:
    assert render("*hi*", "markdown") == "<p><em>hi</em></p>\n"


def test_render_dispatches_html_without_interpreting_markdown() -> None:
    assert render("<p>*hi*</p>", "html") == "<p>*hi*</p>"


def test_render_rejects_unknown_format() -> None:
    with pytest.raises(ValueError, match="textile"):
        render("h1. Hi", "textile")


def test_render_html_sanitises_editor_output() -> None:
    assert render_html('<p onclick="x()">Hi<script>x()</script></p>') == "<p>Hi</p>"
