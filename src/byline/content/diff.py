"""Readable differences between two versions of a post's words, as HTML.

Lines are compared first; where lines were changed, their words are compared, so a
fixed typo shows as one word, not a whole paragraph. Every piece of text is escaped
before it is wrapped in <ins> or <del>: what authors typed is never trusted as HTML.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Unchanged runs longer than this are folded, keeping CONTEXT lines either side.
CONTEXT = 3
# Word-level comparison is quadratic in the worst case; beyond this many words a
# changed block is shown as removed and added whole.
MAX_WORDS = 4000

_WORDS = re.compile(r"\s+|[\w'’-]+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Diff:
    """A comparison ready for a template: `html` is safe to print, `changed` says
    whether there is any difference at all."""

    html: SafeString
    changed: bool

    def __str__(self) -> str:
        return self.html

    def __html__(self) -> str:
        return self.html


def diff_text(old: str, new: str, *, fold: bool = True) -> Diff:
    """Compare two texts line by line, then word by word inside changed lines."""
    old_lines, new_lines = _lines(old), _lines(new)
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    parts: list[str] = []
    opcodes = matcher.get_opcodes()
    for n, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            # Context is kept only where it leads to or follows a change.
            parts.append(_unchanged(old_lines[i1:i2], fold=fold, before=n > 0,
                                    after=n < len(opcodes) - 1))
        elif op == "delete":
            parts.append(_wrap("del", "".join(old_lines[i1:i2])))
        elif op == "insert":
            parts.append(_wrap("ins", "".join(new_lines[j1:j2])))
        else:
            parts.append(_words("".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])))
    # Every part above is escaped text inside our own tags.
    return Diff(html=mark_safe("".join(parts)), changed=old != new)  # noqa: S308


def diff_line(old: str, new: str) -> Diff:
    """Compare two one-line values, such as titles, word by word."""
    return Diff(html=mark_safe(_words(old, new)), changed=old != new)  # noqa: S308


def _lines(text: str) -> list[str]:
    # Browsers send textareas with CRLF; a line ending is not a change of words.
    return text.replace("\r\n", "\n").replace("\r", "\n").splitlines(keepends=True)


def _wrap(tag: str, text: str) -> str:
    return f"<{tag}>{escape(text)}</{tag}>" if text else ""


def _unchanged(lines: list[str], *, fold: bool, before: bool, after: bool) -> str:
    head = lines[:CONTEXT] if before else []
    tail = lines[-CONTEXT:] if after else []
    hidden = len(lines) - len(head) - len(tail)
    if not fold or not (before or after) or hidden <= 1:
        return escape("".join(lines))
    return (escape("".join(head))
            + f'<span class="diff-fold">… {hidden} unchanged lines …</span>\n'
            + escape("".join(tail)))


def _words(old: str, new: str) -> str:
    old_words, new_words = _WORDS.findall(old), _WORDS.findall(new)
    if len(old_words) + len(new_words) > MAX_WORDS:
        return _wrap("del", old) + _wrap("ins", new)
    matcher = SequenceMatcher(None, old_words, new_words, autojunk=False)
    # (unchanged?, old text, new text), with changes separated only by a space merged
    # into one: "<del>a b</del><ins>c d</ins>" reads better than "<del>a</del><ins>c</ins>
    # <del>b</del><ins>d</ins>".
    runs: list[list] = []
    opcodes = matcher.get_opcodes()
    for n, (op, i1, i2, j1, j2) in enumerate(opcodes):
        old_text, new_text = "".join(old_words[i1:i2]), "".join(new_words[j1:j2])
        gap = (op == "equal" and not old_text.strip() and 0 < n < len(opcodes) - 1)
        same = op == "equal" and not gap
        if runs and not same and not runs[-1][0]:
            runs[-1][1] += old_text
            runs[-1][2] += new_text
        else:
            runs.append([same, old_text, new_text])
    return "".join(
        escape(old_text) if same else _wrap("del", old_text) + _wrap("ins", new_text)
        for same, old_text, new_text in runs)
