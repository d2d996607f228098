"""content.diff: the readable differences the revision and conflict screens show."""

import pytest

from byline.content.diff import CONTEXT, diff_line, diff_text


def test_a_changed_word_is_marked_alone():
    assert str(diff_line("The quick fox", "The slow fox")) == (
        "The <del>quick</del><ins>slow</ins> fox")


def test_identical_texts_are_unchanged():
    result = diff_text("Same.\nWords.", "Same.\nWords.")

    assert result.changed is False
    assert str(result) == "Same.\nWords."


def test_an_added_line_is_marked_as_added():
    assert str(diff_text("One.\n", "One.\nTwo.\n")) == "One.\n<ins>Two.\n</ins>"


def test_a_removed_line_is_marked_as_removed():
    assert str(diff_text("One.\nTwo.\n", "One.\n")) == "One.\n<del>Two.\n</del>"


@pytest.mark.parametrize("evil", [
    "<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "</del><script>x</script>",
    "<ins onmouseover=alert(1)>",
])
def test_what_authors_typed_is_escaped_on_both_sides(evil):
    html = str(diff_text(f"Before {evil}", f"After {evil} too"))

    assert "<script" not in html
    assert "<img" not in html
    assert "onmouseover=alert(1)>" not in html.replace("&lt;ins onmouseover=alert(1)&gt;", "")
    assert "&lt;" in html


def test_only_our_own_tags_are_in_the_output():
    html = str(diff_text("a <b>bold</b> move", "a <i>brave</i> move"))

    tags = {part.split(">")[0] for part in html.split("<")[1:]}
    assert tags <= {"ins", "/ins", "del", "/del"}


def test_long_unchanged_stretches_are_folded():
    lines = [f"Line {i}.\n" for i in range(40)]
    changed = [*lines[:20], "A new line.\n", *lines[20:]]

    html = str(diff_text("".join(lines), "".join(changed)))

    assert "unchanged lines" in html
    assert "Line 0." not in html
    assert f"Line {20 - CONTEXT}." in html
    assert "<ins>A new line.\n</ins>" in html


def test_windows_line_endings_are_not_a_change():
    assert diff_text("One.\r\nTwo.", "One.\nTwo.").html == "One.\nTwo."


def test_a_huge_change_is_shown_whole_instead_of_word_by_word():
    old = " ".join(f"w{i}" for i in range(5000))
    new = " ".join(f"v{i}" for i in range(5000))

    html = str(diff_line(old, new))

    assert html == f"<del>{old}</del><ins>{new}</ins>"
