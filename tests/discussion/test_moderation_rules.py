"""The pure status decision: each moderation rule on its own."""

from types import SimpleNamespace

import pytest

from byline.discussion.rules import Candidate, decide_status


def policy(**overrides):
    values = dict(comments_hold_all=False, comments_hold_first_time=False, comments_max_links=2,
                  comments_hold_words="", comments_spam_words="")
    values.update(overrides)
    return SimpleNamespace(**values)


def decide(pol, candidate=None, *, moderator=False, approved_before=False):
    candidate = candidate or Candidate(body="Nice post.", author_name="Ann",
                                       author_email="ann@example.com", author_ip="203.0.113.5")
    return decide_status(policy=pol, candidate=candidate, is_moderator=moderator,
                         has_approved_comment=approved_before).status


def test_a_plain_comment_is_approved_when_nothing_holds_it():
    assert decide(policy()) == "approved"


@pytest.mark.parametrize("where", ["body", "author_name", "author_email", "author_url",
                                   "author_ip"])
def test_a_spam_word_anywhere_sends_the_comment_to_spam(where):
    fields = dict(body="Hello", author_name="Ann", author_email="ann@example.com",
                  author_url="https://ann.example", author_ip="203.0.113.5")
    fields[where] = {"author_ip": "198.51.100.66"}.get(where, fields[where] + " CaSiNo")
    words = "198.51.100.66" if where == "author_ip" else "\n  casino  \n"
    assert decide(policy(comments_spam_words=words), Candidate(**fields)) == "spam"


def test_hold_words_hold_the_comment_case_insensitively():
    assert decide(policy(comments_hold_words="pills"), Candidate(body="Cheap PILLS")) == "pending"


def test_hold_everything_holds_a_clean_comment():
    assert decide(policy(comments_hold_all=True)) == "pending"


def test_as_many_links_as_the_limit_hold_the_comment():
    body = "See https://a.example and http://b.example"
    assert decide(policy(comments_max_links=2), Candidate(body=body)) == "pending"


def test_one_link_under_the_limit_passes():
    assert decide(policy(comments_max_links=2), Candidate(body="See https://a.example")) == \
        "approved"


def test_first_time_commenters_are_held():
    assert decide(policy(comments_hold_first_time=True)) == "pending"


def test_a_commenter_with_a_verified_approved_comment_skips_the_first_time_hold():
    assert decide(policy(comments_hold_first_time=True), approved_before=True) == "approved"


def test_moderators_are_approved_whatever_the_policy():
    assert decide(policy(comments_hold_all=True, comments_spam_words="Nice"),
                  moderator=True) == "approved"


def test_spam_words_win_over_hold_rules():
    assert decide(policy(comments_hold_all=True, comments_spam_words="nice")) == "spam"


def test_thousands_of_links_are_counted_quickly():
    body = "http://x.example/ " * 20000 + "[" * 20000
    assert decide(policy(), Candidate(body=body)) == "pending"
