"""Importing from the dashboard: upload a WXR file, a task imports it, the progress page
refreshes until it shows the summary."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from byline.content.models import Post
from byline.porting.jobs import import_root, read_progress, run_job, write_progress
from byline.porting.models import ImportJob
from tests.factories import SiteFactory, UserFactory
from tests.porting.helpers import DATA

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.BYLINE_IMPORT_ROOT = str(tmp_path / "imports")


@pytest.fixture
def browser(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    return client


def upload(browser, site, name="small-export.xml", **extra):
    page = browser.get(f"/dashboard/{site.slug}/import/")
    token = TOKEN.search(page.content.decode()).group(1)
    data = {"csrfmiddlewaretoken": token,
            "file": SimpleUploadedFile(name, (DATA / name).read_bytes(), "text/xml"), **extra}
    return browser.post(f"/dashboard/{site.slug}/import/", data)


def test_upload_then_task_then_summary(site, browser, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(browser, site)
    job = ImportJob.objects.get(site=site)
    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/demo/import/{job.pk}/"
    assert job.status == ImportJob.Status.DONE
    assert Post.objects.for_site(site).count() == 11
    page = browser.get(response["Location"])
    html = page.content.decode()
    assert page["Cache-Control"] == "no-store"
    assert "Finished" in html
    assert 'http-equiv="refresh"' not in html
    assert re.search(r"Posts</th><td[^>]*>6</td>", html)
    assert re.search(r"Pages</th><td[^>]*>5</td>", html)
    assert re.search(r"Categories</th><td[^>]*>30</td>", html)
    # The uploaded file (addresses, passwords) is gone once imported.
    assert not any(p.is_file() for p in import_root().rglob("*"))


def test_a_malformed_upload_fails_cleanly_and_says_where(site, browser,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(browser, site, name="malformed.xml")
    job = ImportJob.objects.get(site=site)
    assert job.status == ImportJob.Status.FAILED
    assert "Line 90" in job.error
    assert not Post.objects.for_site(site).exists()
    html = browser.get(response["Location"]).content.decode()
    assert "nothing was imported" in html
    assert "Line 90" in html


def test_a_running_import_shows_progress_and_refreshes(site, owner, browser):
    job = ImportJob.objects.create(site=site, user=owner, file="x.xml",
                                   status=ImportJob.Status.RUNNING)
    write_progress(job, {"phase": "importing", "done": 25, "total": 100})
    assert read_progress(job)["done"] == 25
    html = browser.get(f"/dashboard/demo/import/{job.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert "25 of 100" in html
    assert 'value="25"' in html


def test_a_file_that_is_not_xml_is_refused_at_upload(site, browser):
    page = browser.get("/dashboard/demo/import/")
    token = TOKEN.search(page.content.decode()).group(1)
    response = browser.post("/dashboard/demo/import/", {
        "csrfmiddlewaretoken": token,
        "file": SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0 not xml", "image/jpeg")})
    assert response.status_code == 400
    assert "not an XML file" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_fetch_media_is_passed_to_the_job(site, browser):
    # The task is queued after commit, which the test's transaction never reaches.
    upload(browser, site, fetch_media="on")
    job = ImportJob.objects.get(site=site)
    assert (job.fetch_media, job.status) == (True, ImportJob.Status.QUEUED)
    html = browser.get(f"/dashboard/demo/import/{job.pk}/").content.decode()
    assert "Waiting to start" in html


def test_running_a_job_twice_imports_once(site, owner, browser,
                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(browser, site)
    job = ImportJob.objects.get(site=site)
    run_job(job)
    assert Post.objects.for_site(site).count() == 11
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.DONE


def test_the_menu_offers_import_to_owners(site, browser):
    html = browser.get("/dashboard/demo/").content.decode()
    assert 'href="/dashboard/demo/import/"' in html


@pytest.mark.parametrize("role", ["editor", "author", "contributor"])
def test_other_roles_may_not_import(site, role):
    user = UserFactory()
    site.memberships.create(user=user, role=role)
    client = Client()
    client.force_login(user)
    assert client.get("/dashboard/demo/import/").status_code == 403
    assert "/import/" not in client.get("/dashboard/demo/").content.decode()


def test_administrators_may_import(site):
    user = UserFactory()
    site.memberships.create(user=user, role="administrator")
    client = Client()
    client.force_login(user)
    assert client.get("/dashboard/demo/import/").status_code == 200


def test_another_sites_jobs_are_not_visible(site, owner, browser):
    other = SiteFactory(slug="other")
    job = ImportJob.objects.create(site=other, user=other.owner, file="x.xml")
    assert browser.get(f"/dashboard/demo/import/{job.pk}/").status_code == 404


def test_guests_are_sent_to_log_in(site):
    response = Client().get("/dashboard/demo/import/")
    assert response.status_code == 302
    assert "login" in response["Location"]
