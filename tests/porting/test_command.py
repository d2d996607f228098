"""`byline import_wxr`: a progress bar, a summary table, and a clear failure."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from byline.content.models import Post
from byline.tenancy.models import Site
from tests.factories import UserFactory
from tests.porting.helpers import DATA

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_wxr", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_and_prints_a_summary_table(site):
    out, err = run(str(DATA / "small-export.xml"), "--site", "demo")
    assert "Importing [" in err and "100%" in err
    assert "from http://localhost (WXR 1.1)" in out
    lines = {line.split()[0]: line.split()[1:] for line in out.splitlines()[2:12] if line}
    assert lines["Posts"] == ["6", "0", "0"]
    assert lines["Pages"] == ["5", "0", "0"]
    assert lines["Comments"] == ["1", "0", "0"]
    assert lines["Categories"] == ["30", "0", "0"]
    assert Post.objects.for_site(site).count() == 11


def test_the_summary_lists_every_item_not_imported_with_its_reason(site):
    out, _ = run(str(DATA / "term-formats.xml"), "--site", "demo", "--no-progress")
    assert "Not imported (2):" in out
    assert "term 7 “Menu”: navigation menu: Byline has no menus yet" in out


def test_a_malformed_file_fails_with_the_line_and_a_non_zero_exit(site):
    with pytest.raises(CommandError, match=r"malformed\.xml: Line 90: .*not well-formed"):
        run(str(DATA / "malformed.xml"), "--site", "demo")
    assert not Post.objects.for_site(site).exists()


def test_a_missing_site_needs_create(db):
    with pytest.raises(CommandError, match="--create"):
        run(str(DATA / "wxr-simple.xml"), "--site", "newsite")


def test_create_makes_the_site_with_an_owner(db):
    owner = UserFactory(username="boss")
    out, _ = run(str(DATA / "wxr-simple.xml"), "--site", "newsite", "--create",
                 "--owner", "boss", "--no-progress")
    site = Site.objects.get(slug="newsite")
    assert site.owner == owner
    assert Post.objects.for_site(site).count() == 1
    assert "newsite" in out


def test_author_map_option(site):
    UserFactory(username="chosen")
    run(str(DATA / "valid-wxr-1.1.xml"), "--site", "demo", "--author-map", "john=chosen",
        "--no-progress")
    assert set(Post.objects.for_site(site).values_list("author__username", flat=True)) == {
        "chosen"}
    with pytest.raises(CommandError, match="OLD=USER"):
        run(str(DATA / "valid-wxr-1.1.xml"), "--site", "demo", "--author-map", "john")


def test_an_unreadable_file(site):
    with pytest.raises(CommandError, match="Cannot read"):
        run("/nonexistent/export.xml", "--site", "demo")
