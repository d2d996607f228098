"""Moving out as plain files: a zip with one Markdown file per post and page, front
matter on top, and the media beside them with the posts' links made relative."""

import io
import json
import zipfile

import pytest
import time_machine
from django.core.files.storage import default_storage

from byline.content.models import Media, Post
from byline.porting.export import ArchiveCounts, archive_media_path, write_markdown_archive
from tests.factories import SiteFactory, make_post
from tests.porting.test_export_wxr import BASE, NOW, build_moving_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def moving():
    with time_machine.travel(NOW, tick=False):
        return build_moving_site()


def archive_of(site) -> tuple[zipfile.ZipFile, ArchiveCounts]:
    out = io.BytesIO()
    with time_machine.travel(NOW, tick=False):
        counts = write_markdown_archive(site=site, out=out, base_url=BASE)
    out.seek(0)
    return zipfile.ZipFile(out), counts


def front_matter(text: str) -> tuple[dict, str]:
    """Every value is written as JSON, which is also YAML: read it back with json."""
    assert text.startswith("---\n")
    head, _, body = text[4:].partition("\n---\n")
    values = {}
    for line in head.splitlines():
        key, _, value = line.partition(": ")
        values[key] = json.loads(value)
    return values, body


@pytest.fixture
def archive(moving):
    return archive_of(moving.site)[0]


def test_one_file_per_post_and_page_trash_left_out(archive):
    names = sorted(n for n in archive.namelist() if n.startswith(("posts/", "pages/")))

    assert names == [
        "pages/about.md",
        "pages/team.md",
        "posts/2026-06-13-creme-brulee.md",
        "posts/2026-06-14-just-for-us.md",
        "posts/2026-06-18-coming-soon.md",
        "posts/half-a-thought.md",
    ]


def test_a_readme_says_what_the_archive_is(archive):
    readme = archive.read("README.md").decode()

    assert readme.startswith("# Moving & Co\n")
    assert f"An export of {BASE}/, made by Byline on 2026-06-15" in readme
    assert "4 posts, 2 pages, 1 media file." in readme


def test_front_matter_holds_what_the_post_is(moving, archive):
    front, _ = front_matter(archive.read("posts/2026-06-13-creme-brulee.md").decode())

    assert front == {
        "title": "Crème brûlée & <friends>",
        "slug": "creme-brulee",
        "date": "2026-06-13T14:00:00+02:00",
        "updated": "2026-06-15T14:00:00+02:00",
        "type": "post",
        "status": "published",
        "format": "markdown",
        "author": "Camille D.",
        "categories": ["Night trains"],
        "tags": ["slow ünïcode"],
        "excerpt": "Ends with ]]> and <b>tags</b> & “quotes” 🔥",
        "original_url": f"{BASE}/2026/06/13/creme-brulee/",
        "featured_image": "../" + archive_media_path(moving.site, moving.media.file.name),
    }


def test_a_markdown_post_keeps_its_markdown_with_media_links_made_relative(moving, archive):
    _, body = front_matter(archive.read("posts/2026-06-13-creme-brulee.md").decode())
    local = "../" + archive_media_path(moving.site, moving.media.file.name)

    assert body == f"Dessert on the **night train** ü 🔥.\n\n![cabin]({local})\n"


def test_a_post_written_in_html_keeps_its_html_body(moving):
    post = make_post(site=moving.site, title="From HTML", source="<p>Hi <em>there</em></p>",
                     source_format="html", published_at=NOW)

    archive, _ = archive_of(moving.site)

    front, body = front_matter(archive.read(f"posts/2026-06-15-{post.slug}.md").decode())
    assert front["format"] == "html"
    assert body.strip() == post.html.strip()


@pytest.mark.parametrize(("name", "status", "date"), [
    ("posts/half-a-thought.md", "draft", None),
    ("posts/2026-06-14-just-for-us.md", "private", "2026-06-14T14:00:00+02:00"),
    ("posts/2026-06-18-coming-soon.md", "scheduled", "2026-06-18T14:00:00+02:00"),
])
def test_unpublished_posts_keep_their_status(archive, name, status, date):
    front, _ = front_matter(archive.read(name).decode())

    assert (front["status"], front["date"]) == (status, date)


def test_a_page_names_its_parent_and_order(archive):
    front, body = front_matter(archive.read("pages/team.md").decode())

    assert (front["type"], front["parent"], front["menu_order"]) == ("page", "about", 3)
    assert body == "Us.\n"


def test_media_files_and_their_renditions_are_in_the_archive(moving, archive):
    media = moving.media
    names = [media.file.name] + [r["name"] for r in media.renditions]

    for name in names:
        with default_storage.open(name, "rb") as stored:
            assert archive.read(archive_media_path(moving.site, name)) == stored.read()
    assert archive.getinfo(archive_media_path(moving.site, media.file.name)).filename.startswith(
        "media/2026/06/")


def test_counts_say_what_the_archive_holds(moving):
    _, counts = archive_of(moving.site)

    assert (counts.posts, counts.pages, counts.media, counts.missing_media) == (4, 2, 1, 0)


def test_a_file_missing_from_storage_is_left_out_not_fatal(moving):
    default_storage.delete(moving.media.file.name)

    archive, counts = archive_of(moving.site)

    assert counts.missing_media == 1
    assert archive.testzip() is None


def test_a_media_kept_remote_is_counted_and_its_link_left_alone(moving):
    fields = {f.name for f in Media._meta.get_fields()}
    if "remote_url" not in fields:
        pytest.skip("Media.remote_url is the importer's, not there yet")
    remote = Media.objects.create(site=moving.site, remote_url="https://old.example/a.jpg")
    make_post(site=moving.site, title="Remote", source="![a](https://old.example/a.jpg)",
              published_at=NOW)

    archive, counts = archive_of(moving.site)

    assert counts.remote_media == 1
    assert "https://old.example/a.jpg" in archive.read("posts/2026-06-15-remote.md").decode()
    assert remote.pk


def test_another_sites_posts_and_media_are_never_included(moving):
    other = SiteFactory(slug="elsewhere")
    make_post(site=other, title="Not yours", source="Other text")

    archive, _ = archive_of(moving.site)

    assert not any("not-yours" in name for name in archive.namelist())
    assert all(b"Other text" not in archive.read(name) for name in archive.namelist()
               if name.endswith(".md"))


def test_slugs_cannot_climb_out_of_the_archive(moving):
    post = make_post(site=moving.site, title="Sneaky", published_at=NOW)
    Post.objects.filter(pk=post.pk).update(slug="../../etc/passwd")

    archive, _ = archive_of(moving.site)

    assert all(".." not in name.split("/") for name in archive.namelist())


def test_archive_media_paths_drop_the_site_folder_and_dot_dots(moving):
    site = moving.site

    assert archive_media_path(site, f"sites/{site.pk}/2026/06/a.jpg") == "media/2026/06/a.jpg"
    assert archive_media_path(site, "../../x.jpg") == "media/x.jpg"
