"""Stored HTML reaches a page only through the sanitiser (SECURITY-CASES 16).

Every place that turns off Django's escaping is listed here with the reason it is
safe. A new `|safe`, `mark_safe` or `{% autoescape off %}` fails this test until
someone checks it and adds it to the list."""

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "byline"
UNESCAPED = re.compile(r"\|\s*safe\b|mark_safe\(|autoescape\s+off|SafeString\(")

# (file relative to src/byline, the unescaped expression's line fragment): why it is safe.
REVIEWED = {
    ("reader/templates/reader/post.html", "post.html|safe"):
        "Post.html is rendered and sanitised by rendering.render on every save",
    ("discussion/templates/discussion/_comment.html", "c.html|safe"):
        "Comment.html comes from rendering.render_comment (sanitised)",
    ("dashboard/templates/dashboard/posts/editor.html", "preview_html|safe"):
        "preview_html is rendering.render output or Post.html",
    ("dashboard/templates/dashboard/comments/list.html", "comment.html|safe"):
        "Comment.html, sanitised on write",
    ("dashboard/templates/dashboard/comments/_comment.html", "comment.html|safe"):
        "Comment.html, sanitised on write",
    ("accounts/templates/allauth/elements/fields.html", "field.help_text|safe"):
        "help texts are written by us (and allauth), never by users",
    ("content/diff.py", "mark_safe(\"\".join(parts))"):
        "diff parts are escaped with django.utils.html.escape before they are joined",
    ("content/diff.py", "mark_safe(_words(old, new))"):
        "_words escapes every token before wrapping it in <ins>/<del>",
    ("discussion/templatetags/discussion.py", "mark_safe(site_memo(site, key, render_form)"):
        "our own template's (escaped) output, with a slot replaced by a signed stamp "
        "(django.core.signing: base64url letters, digits and ':' only)",
    ("reader/seo.py", "mark_safe(text.translate(_JSON_SCRIPT_ESCAPES))"):
        "JSON-LD: json.dumps output with <, >, & (and U+2028/9) \\u-escaped, as json_script does",
}


def _unescaped_places() -> set[tuple[str, str]]:
    found = set()
    for path in SRC.rglob("*"):
        # Plain-text mail (.txt) is not HTML: escaping there would only garble it.
        if path.suffix not in {".py", ".html"} or "migrations" in path.parts:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if UNESCAPED.search(line) and "import" not in line:
                relative = str(path.relative_to(SRC))
                fragment = next((f for (p, f) in REVIEWED if p == relative and f in line), line)
                found.add((relative, fragment.strip()))
    return found


def test_every_place_that_skips_escaping_has_been_reviewed():
    unreviewed = {place for place in _unescaped_places() if place not in REVIEWED}
    assert unreviewed == set(), "escaping turned off without review: " + repr(unreviewed)


def test_the_reviewed_list_names_only_places_that_exist():
    stale = set(REVIEWED) - _unescaped_places()
    assert stale == set()
