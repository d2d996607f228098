"""Which status a new comment gets: pure functions over the site's policy and a few facts.

No queries and no request here, so every rule is tested on its own and the same decision
is taken for a comment from the site form, an API or an import.
"""

import re
from dataclasses import dataclass
from typing import Protocol

APPROVED = "approved"
PENDING = "pending"
SPAM = "spam"

# A link as WordPress's check_comment() counts them: anything with a scheme-relative or
# http(s) address. Bounded regex (no nested repetition), so thousands of URLs stay linear.
_LINK = re.compile(r"(?:https?:)?//", re.IGNORECASE)


class Policy(Protocol):
    """The comment settings of a Site (only the attributes read here)."""

    comments_hold_all: bool
    comments_hold_first_time: bool
    comments_max_links: int
    comments_hold_words: str
    comments_spam_words: str


@dataclass(frozen=True)
class Candidate:
    """What a commenter sent, as it would be stored."""

    body: str
    author_name: str = ""
    author_email: str = ""
    author_url: str = ""
    author_ip: str = ""


@dataclass(frozen=True)
class Verdict:
    status: str
    reason: str


def word_list(text: str) -> list[str]:
    """One entry per line, trimmed, blank lines dropped, compared case-insensitively."""
    return [line.strip().casefold() for line in (text or "").splitlines() if line.strip()]


def first_match(words: list[str], candidate: Candidate) -> str | None:
    """The first listed word found in the body, name, e-mail, URL or IP, else None."""
    haystacks = [candidate.body, candidate.author_name, candidate.author_email,
                 candidate.author_url, candidate.author_ip or ""]
    folded = [h.casefold() for h in haystacks if h]
    for word in words:
        if any(word in h for h in folded):
            return word
    return None


def count_links(body: str) -> int:
    return len(_LINK.findall(body))


def decide_status(*, policy: Policy, candidate: Candidate, is_moderator: bool,
                  has_approved_comment: bool) -> Verdict:
    """approved / pending / spam for a new comment, and why.

    ``has_approved_comment`` must come from something the commenter proved (a signed-in
    account's id), never from a guest's typed name and e-mail: anyone can type those
    (SECURITY-CASES 6).
    """
    if is_moderator:
        return Verdict(APPROVED, "moderator")
    if (word := first_match(word_list(policy.comments_spam_words), candidate)) is not None:
        return Verdict(SPAM, f"spam word: {word}")
    if policy.comments_hold_all:
        return Verdict(PENDING, "every comment is held")
    if (word := first_match(word_list(policy.comments_hold_words), candidate)) is not None:
        return Verdict(PENDING, f"hold word: {word}")
    links = count_links(candidate.body)
    if links >= policy.comments_max_links:
        return Verdict(PENDING, f"{links} links")
    if policy.comments_hold_first_time and not has_approved_comment:
        return Verdict(PENDING, "first comment here")
    return Verdict(APPROVED, "passed every rule")
