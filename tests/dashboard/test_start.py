""""Get started": account → title → address → theme → the new site's dashboard."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from byline.tenancy.models import Site
from byline.tenancy.roles import Role
from tests.factories import SiteFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def writer(db):
    return UserFactory(email="writer@example.com")


@pytest.fixture
def signed_in(client, writer):
    client.force_login(writer)
    return client


def run_wizard(client: Client, title: str = "Garden Notes", slug: str = "garden-notes",
               theme: str = "press"):
    client.post("/start/", {"title": title})
    client.post("/start/address/", {"slug": slug})
    return client.post("/start/theme/", {"theme": theme})


# --- Who gets in -----------------------------------------------------------------------


def test_a_signed_out_visitor_is_sent_to_sign_up_and_back(client):
    response = client.get("/start/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/signup/?next=/start/"


def test_the_sign_up_page_shows_it_is_step_one_of_get_started(client):
    response = client.get("/accounts/signup/?next=/start/")

    html = response.content.decode()
    assert "Get started · step 1 of 4" in html
    assert 'name="next" value="/start/"' in html
    assert 'href="/accounts/login/?next=%2Fstart%2F"' in html


def test_a_new_account_confirmed_by_mail_comes_back_to_the_wizard(client):
    client.post("/accounts/signup/?next=/start/",
                {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD})
    link = re.search(r"http://testserver(/accounts/confirm-email/[^/\s]+/)",
                     mail.outbox[0].body).group(1)

    response = client.post(link)

    assert response["Location"] == "/start/"
    assert "What will you call your site?" in client.get("/start/").content.decode()


# --- The steps -------------------------------------------------------------------------


def test_the_first_step_asks_for_a_title_and_shows_the_progress(signed_in):
    response = signed_in.get("/start/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Step 2 of 4" in html
    assert '<label for="id_title">Site title</label>' in html
    assert '<li class="is-current" aria-current="step">' in html


def test_an_empty_title_is_refused(signed_in):
    response = signed_in.post("/start/", {"title": "   "})

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_address_step_suggests_an_address_from_the_title(signed_in):
    signed_in.post("/start/", {"title": "Garden Notes!"})

    response = signed_in.get("/start/address/")

    assert 'value="garden-notes"' in response.content.decode()


def test_the_suggested_address_skips_one_that_is_taken(signed_in):
    SiteFactory(slug="garden-notes")
    signed_in.post("/start/", {"title": "Garden Notes"})

    response = signed_in.get("/start/address/")

    assert 'value="garden-notes-2"' in response.content.decode()


def test_the_address_step_loads_the_live_check_script(signed_in):
    signed_in.post("/start/", {"title": "Garden Notes"})

    response = signed_in.get("/start/address/")

    html = response.content.decode()
    assert 'data-check-url="/start/check-address/"' in html
    assert re.search(r'<script src="/static/dashboard/start\.js" defer>', html)
    assert 'aria-live="polite"' in html


@pytest.mark.parametrize(("slug", "message"), [
    ("demo", "That address is taken. Try another."),
    ("admin", "is reserved"),
    ("-bad-", "Use 1–63 lowercase letters"),
    ("my blog", "Use 1–63 lowercase letters"),
    ("", "This field is required."),
])
def test_an_address_that_cannot_be_had_is_refused_on_submit(signed_in, slug, message):
    SiteFactory(slug="demo")
    signed_in.post("/start/", {"title": "Garden Notes"})

    response = signed_in.post("/start/address/", {"slug": slug})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


def test_an_address_typed_in_capitals_is_taken_in_lowercase(signed_in):
    signed_in.post("/start/", {"title": "Garden Notes"})

    response = signed_in.post("/start/address/", {"slug": " Garden-Notes "})

    assert response["Location"] == "/start/theme/"
    assert signed_in.session["byline_start"]["slug"] == "garden-notes"


def test_the_theme_step_offers_both_themes_with_a_description(signed_in):
    signed_in.post("/start/", {"title": "Garden Notes"})
    signed_in.post("/start/address/", {"slug": "garden-notes"})

    response = signed_in.get("/start/theme/")

    html = response.content.decode()
    assert 'value="canvas" checked' in html
    assert 'value="press"' in html
    assert "one wide column" in html
    assert "a sidebar" in html
    assert "garden-notes.localhost" in html


def test_finishing_the_wizard_creates_the_site_and_opens_its_dashboard(signed_in, writer):
    response = run_wizard(signed_in)

    site = Site.objects.get(slug="garden-notes")
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/garden-notes/"
    assert (site.title, site.theme, site.owner) == ("Garden Notes", "press", writer)
    assert site.role_of(writer) == Role.OWNER


def test_the_new_dashboard_welcomes_the_owner(signed_in):
    response = run_wizard(signed_in)

    page = signed_in.get(response["Location"])

    assert "Your site “Garden Notes” is ready." in page.content.decode()


def test_the_wizard_forgets_its_answers_once_the_site_exists(signed_in):
    run_wizard(signed_in)

    assert "byline_start" not in signed_in.session
    assert signed_in.get("/start/theme/")["Location"] == "/start/"


def test_the_wizard_can_be_run_again_for_a_second_site(signed_in, writer):
    run_wizard(signed_in, title="First", slug="first")

    run_wizard(signed_in, title="Second", slug="second")

    assert set(Site.objects.filter(owner=writer).values_list("slug", flat=True)) == {
        "first", "second"}


def test_skipping_to_the_address_without_a_title_goes_back_to_the_start(signed_in):
    assert signed_in.get("/start/address/")["Location"] == "/start/"


def test_skipping_to_the_theme_without_an_address_goes_back_to_the_address(signed_in):
    signed_in.post("/start/", {"title": "Garden Notes"})

    assert signed_in.get("/start/theme/")["Location"] == "/start/address/"


def test_an_address_taken_while_choosing_a_theme_sends_back_to_the_address(signed_in):
    signed_in.post("/start/", {"title": "Garden Notes"})
    signed_in.post("/start/address/", {"slug": "garden-notes"})
    SiteFactory(slug="garden-notes")  # somebody else was quicker

    response = signed_in.post("/start/theme/", {"theme": "canvas"})

    assert response["Location"] == "/start/address/"
    assert Site.objects.filter(slug="garden-notes").count() == 1
    page = signed_in.get("/start/address/").content.decode()
    assert "was taken in the meantime" in page


def test_an_unknown_theme_is_refused(signed_in):
    signed_in.post("/start/", {"title": "Garden Notes"})
    signed_in.post("/start/address/", {"slug": "garden-notes"})

    response = signed_in.post("/start/theme/", {"theme": "geocities"})

    assert response.status_code == 200
    assert not Site.objects.exists()


def test_the_steps_need_a_csrf_token(writer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(writer)

    response = client.post("/start/", {"title": "Garden Notes"})

    assert response.status_code == 403
    assert "byline_start" not in client.session


# --- The live address check ------------------------------------------------------------


def test_a_free_address_is_reported_free(signed_in):
    response = signed_in.get("/start/check-address/", {"slug": "garden-notes"})

    assert response.status_code == 200
    assert response.json() == {"ok": True, "message": "garden-notes.localhost is free."}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize(("slug", "message"), [
    ("demo", "That address is taken. Try another."),
    ("www", "“www” is reserved. Please choose another address."),
    ("my_blog", "Use 1–63 lowercase letters, digits and hyphens, starting and ending with a "
                "letter or digit."),
    ("", "Choose an address."),
])
def test_an_address_that_cannot_be_had_is_reported_with_the_reason(signed_in, slug, message):
    SiteFactory(slug="demo")

    response = signed_in.get("/start/check-address/", {"slug": slug})

    assert response.json() == {"ok": False, "message": message}


def test_the_live_check_reads_capitals_as_lowercase(signed_in):
    SiteFactory(slug="demo")

    response = signed_in.get("/start/check-address/", {"slug": "DEMO"})

    assert response.json()["ok"] is False


def test_the_live_check_is_for_signed_in_people_only(client):
    response = client.get("/start/check-address/", {"slug": "garden-notes"})

    assert response.status_code == 401
    assert response.json()["ok"] is False
