"""Search: /search/?q= and WordPress's /?s=, over published posts and pages only."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from byline.content import services
from byline.reader.models import SearchDocument
from byline.reader.search import (
    MAX_QUERY_LENGTH,
    excerpt,
    fts5_expression,
    parse_query,
    reindex_site,
)
from tests.factories import CategoryFactory, SiteFactory, TagFactory, make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the search index) as each write commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def publish(site, committed):
    def _publish(**fields):
        fields.setdefault("site", site)
        with committed():
            return make_post(**fields)
    return _publish


def _titles(response) -> list[str]:
    found = re.findall(r'class="search-result-title"><a href="[^"]*">(.*?)</a>',
                       response.content.decode())
    return [re.sub(r"</?mark>", "", title) for title in found]


def test_search_finds_a_published_post_by_a_word_in_its_body(site_client, publish):
    publish(title="Spring", source="The allotment is waking up.")
    publish(title="Autumn", source="Leaves everywhere.")
    response = site_client.get("/search/", {"q": "allotment"})
    assert response.status_code == 200
    assert _titles(response) == ["Spring"]


def test_a_title_match_ranks_above_a_body_only_match(site_client, publish):
    publish(title="A walk", source="We talked about compost on the way, compost mostly.",
            published_at=timezone.now() - timedelta(hours=1))
    publish(title="Compost, at last", source="A heap of it.",
            published_at=timezone.now() - timedelta(days=3))
    assert _titles(site_client.get("/search/", {"q": "compost"})) == [
        "Compost, at last", "A walk"]


def test_matched_words_are_highlighted_in_the_excerpt(site_client, publish):
    publish(title="Beans", source="Runner beans like a tall frame and plenty of water.")
    content = site_client.get("/search/", {"q": "frame"}).content.decode()
    assert "tall <mark>frame</mark> and plenty" in content


def test_the_excerpt_is_escaped_plain_text_and_never_the_posts_html(site_client, publish):
    publish(title="Markup", source="Use the `<b>` tag for **bold gardening** words.")
    content = site_client.get("/search/", {"q": "gardening"}).content.decode()
    excerpt_html = re.search(r'class="search-result-excerpt">(.*?)</p>', content).group(1)
    assert "&lt;b&gt;" in excerpt_html
    assert "<strong>" not in excerpt_html and "<b>" not in excerpt_html
    assert "<mark>gardening</mark>" in excerpt_html


def test_other_forms_of_a_word_are_found_and_marked(site_client, publish):
    publish(title="Sunday", source="I spent the day gardening.")
    content = site_client.get("/search/", {"q": "gardens"}).content.decode()
    assert "<mark>gardening</mark>" in content


def test_tag_names_are_searched(site, site_client, publish):
    tag = TagFactory(site=site, name="Sourdough", slug="sourdough")
    publish(title="Tuesday bake", source="Flour, water, salt.", tags=[tag])
    assert _titles(site_client.get("/search/", {"q": "sourdough"})) == ["Tuesday bake"]


def test_pages_are_found_as_well_as_posts(site_client, publish):
    publish(title="About the garden", source="Who digs here.", kind="page")
    response = site_client.get("/search/", {"q": "digs"})
    assert _titles(response) == ["About the garden"]


def test_results_are_paginated_and_the_next_page_keeps_the_query(site, site_client, publish):
    site.posts_per_page = 2
    site.save()
    for n in range(5):
        publish(title=f"Tomato diary {n}", source="Tomatoes again.")
    first = site_client.get("/search/", {"q": "tomato"})
    assert len(_titles(first)) == 2
    assert "5 results" in first.content.decode()
    assert 'href="?q=tomato&amp;page=2"' in first.content.decode()
    third = site_client.get("/search/", {"q": "tomato", "page": 3})
    assert len(_titles(third)) == 1


def test_a_page_past_the_last_is_not_found(site_client, publish):
    publish(title="Only one", source="Radish.")
    assert site_client.get("/search/", {"q": "radish", "page": 9}).status_code == 404


def test_no_results_says_so_with_the_query_shown_back(site_client, publish):
    publish(title="Beans", source="Beans.")
    content = site_client.get("/search/", {"q": "parsnip"}).content.decode()
    assert "No results for “parsnip”" in content


def test_an_empty_query_shows_the_search_form(site, site_client):
    response = site_client.get("/search/", {"q": "   "})
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()
    assert "No results" not in response.content.decode()


def test_wordpress_s_parameter_on_the_home_page_searches(site_client, publish):
    publish(title="Chard", source="Rainbow chard survives anything.")
    publish(title="Kale", source="Kale too.")
    response = site_client.get("/", {"s": "rainbow"})
    assert response.status_code == 200
    assert _titles(response) == ["Chard"]


@pytest.mark.parametrize("fields", [
    {"status": "draft"},
    {"status": "private"},
    {"status": "published", "published_at": timezone.now() + timedelta(days=2)},
], ids=["draft", "private", "scheduled"])
def test_posts_readers_may_not_see_are_never_found(site_client, publish, fields):
    publish(title="Secret plans", source="Hidden turnip.", **fields)
    assert _titles(site_client.get("/search/", {"q": "turnip"})) == []


def test_a_trashed_post_is_not_found(site, site_client, publish, committed):
    post = publish(title="Gone", source="Trashed turnip.")
    with committed():
        services.post_trash(post=post, user=site.owner)
    assert _titles(site_client.get("/search/", {"q": "turnip"})) == []


def test_another_sites_posts_are_never_found(site_client, publish):
    publish(site=SiteFactory(), title="Elsewhere", source="Foreign turnip.")
    assert _titles(site_client.get("/search/", {"q": "turnip"})) == []


def test_a_password_protected_body_is_not_searched(site_client, publish):
    publish(title="Locked diary", source="Private turnip thoughts.", password="pw")
    assert _titles(site_client.get("/search/", {"q": "turnip"})) == []
    response = site_client.get("/search/", {"q": "diary"})
    assert _titles(response) == ["Locked diary"]
    assert "turnip" not in response.content.decode()


def test_a_scheduled_post_is_found_once_its_time_comes(site_client, publish):
    when = timezone.now() + timedelta(days=1)
    publish(title="Tomorrow", source="Scheduled squash.", published_at=when)
    with time_machine.travel(when + timedelta(minutes=1)):
        assert _titles(site_client.get("/search/", {"q": "squash"})) == ["Tomorrow"]


def test_the_index_follows_an_edit(site, site_client, publish, committed):
    post = publish(title="Old title", source="Carrots.")
    with committed():
        services.post_update(post=post, editor=site.owner, title="Beetroot news",
                             source="Beetroot.")
    assert _titles(site_client.get("/search/", {"q": "beetroot"})) == ["Beetroot news"]
    assert _titles(site_client.get("/search/", {"q": "carrots"})) == []


def test_the_index_forgets_a_deleted_post(site, site_client, publish, committed):
    post = publish(title="Leeks", source="Leeks.")
    with committed():
        services.post_trash(post=post, user=site.owner)
        services.post_delete(post=post, user=site.owner)
    assert not SearchDocument.objects.filter(post_id=post.pk).exists()
    assert _titles(site_client.get("/search/", {"q": "leeks"})) == []


def test_the_index_follows_a_change_of_tags(site, site_client, publish, committed):
    post = publish(title="Week 12", source="Notes.")
    tag = TagFactory(site=site, name="Potatoes", slug="potatoes")
    with committed():
        post.tags.add(tag)
    assert _titles(site_client.get("/search/", {"q": "potatoes"})) == ["Week 12"]
    with committed():
        post.tags.remove(tag)
    assert _titles(site_client.get("/search/", {"q": "potatoes"})) == []


def test_one_save_with_tags_and_categories_is_indexed_once_after_commit(
        site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        make_post(site=site, title="Once", tags=[TagFactory(site=site)],
                  categories=[CategoryFactory(site=site)])
    assert len([c for c in callbacks if type(c).__module__ == "byline.reader.signals"]) == 1


def test_a_rolled_back_save_does_not_stop_the_next_from_being_indexed(site, site_client,
                                                                      committed):
    with committed():
        with pytest.raises(RuntimeError), transaction.atomic():
            make_post(site=site, title="Rolled back", source="Quince.")
            raise RuntimeError
        make_post(site=site, title="Kept", source="Quince jelly.")
    assert _titles(site_client.get("/search/", {"q": "quince"})) == ["Kept"]


def test_a_renamed_tag_is_found_by_its_new_name(site, site_client, publish, committed):
    tag = TagFactory(site=site, name="Spuds", slug="spuds")
    publish(title="Week 13", source="Notes.", tags=[tag])
    with committed():
        tag.name = "Potatoes"
        tag.save()
    assert _titles(site_client.get("/search/", {"q": "potatoes"})) == ["Week 13"]


def test_reindex_site_rebuilds_the_index(site, site_client, publish):
    publish(title="Onions", source="Onions.")
    SearchDocument.objects.all().delete()
    assert reindex_site(site) == 1
    assert _titles(site_client.get("/search/", {"q": "onions"})) == ["Onions"]


def test_the_reindex_command_names_the_site(site, publish, capsys):
    publish(title="Garlic", source="Garlic.")
    call_command("search_reindex", "--site", "demo")
    assert "demo: 1 post indexed" in capsys.readouterr().out


HOSTILE = ['"', '""', "*", "NEAR(", "NEAR(a b", "OR", "AND", "NOT", "a OR", "- -", "-beans",
           "title:beans", "beans^2", "(beans", "'; DROP TABLE content_post; --", "\\",
           "x" * 10_000, "beans " * 2_000, "<script>alert(1)</script>", "%", "_", "{}", "ü*é",
           "\x00beans", "\u202e"]


@pytest.mark.parametrize("query", HOSTILE)
def test_odd_queries_never_fail_and_are_shown_escaped(site_client, publish, query):
    publish(title="Beans", source="Broad beans.")
    response = site_client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


def test_the_query_is_shown_back_escaped(site, site_client):
    content = site_client.get("/search/", {"q": '<script>alert("x")</script>'}).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content


def test_quotes_search_a_phrase(site_client, publish):
    publish(title="One", source="green tomato chutney")
    publish(title="Two", source="tomato, then something green")
    assert _titles(site_client.get("/search/", {"q": '"green tomato"'})) == ["One"]


def test_a_minus_excludes_a_word(site_client, publish):
    publish(title="One", source="tomato chutney")
    publish(title="Two", source="tomato soup")
    assert _titles(site_client.get("/search/", {"q": "tomato -soup"})) == ["One"]


# --- The pieces ---------------------------------------------------------------------------------


def test_a_long_query_is_cut_not_refused():
    assert len(parse_query("word " * 500).text) <= MAX_QUERY_LENGTH


def test_fts5_operators_typed_by_a_reader_are_quoted_words():
    assert fts5_expression(parse_query('NEAR(a b) "x" AND*')) == '"near a" "b" "x" "and" *'


def test_excerpt_marks_words_and_escapes_the_rest():
    assert str(excerpt("Tom & Jerry grow tomatoes", ["tomato"])) == (
        "Tom &amp; Jerry grow <mark>tomatoes</mark>")
