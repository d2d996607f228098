"""`byline export_wxr`: writes the file asked for and says in one line what it holds."""

import io
import zipfile

import pytest
import time_machine
from django.core.management import CommandError, call_command

from tests.factories import SiteFactory, make_post
from tests.porting.test_export_wxr import NOW, build_moving_site, parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def moving():
    with time_machine.travel(NOW, tick=False):
        return build_moving_site()


def run(*args) -> str:
    out = io.StringIO()
    call_command("export_wxr", *args, stdout=out)
    return out.getvalue()


def test_the_command_writes_a_wxr_file_and_sums_it_up(moving, tmp_path):
    target = tmp_path / "moving.xml"

    output = run("--site", "moving", "-o", str(target))

    root = parse(target.read_bytes())
    assert len(root.findall("channel/item")) == 7
    assert output.strip() == (
        f"Exported moving to {target} (WXR): 4 posts, 2 pages, 1 attachment, 5 comments, "
        "2 categories, 1 tag, 2 authors.")
    assert list(tmp_path.iterdir()) == [target]  # no partial file left beside it


def test_links_start_with_the_site_address_or_the_one_given(moving, tmp_path, settings):
    settings.BYLINE_BASE_DOMAIN = "blogs.example"
    settings.BYLINE_HTTPS = True
    target = tmp_path / "moving.xml"

    run("--site", "moving", "-o", str(target))
    assert parse(target.read_bytes()).findtext("channel/link") == "https://moving.blogs.example/"

    run("--site", "moving", "-o", str(target), "--base-url", "https://old.example/")
    assert parse(target.read_bytes()).findtext("channel/link") == "https://old.example/"


def test_the_command_writes_a_markdown_archive(moving, tmp_path):
    target = tmp_path / "moving.zip"

    output = run("--site", "moving", "-o", str(target), "--format", "markdown")

    names = zipfile.ZipFile(target).namelist()
    assert "posts/2026-06-13-creme-brulee.md" in names
    assert any(name.startswith("media/") for name in names)
    assert "(Markdown archive): 4 posts, 2 pages, 1 media file." in output


def test_an_existing_file_is_replaced(tmp_path, db):
    site = SiteFactory(slug="small")
    make_post(site=site, title="Only one")
    target = tmp_path / "out.xml"
    target.write_text("old contents")

    run("--site", "small", "-o", str(target))

    assert b"Only one" in target.read_bytes()


def test_an_unknown_site_is_a_clear_error(tmp_path, db):
    with pytest.raises(CommandError, match="No site with the slug 'nope'"):
        run("--site", "nope", "-o", str(tmp_path / "x.xml"))


def test_a_missing_folder_is_a_clear_error(tmp_path, db):
    SiteFactory(slug="small")

    with pytest.raises(CommandError, match="does not exist"):
        run("--site", "small", "-o", str(tmp_path / "no" / "x.xml"))
