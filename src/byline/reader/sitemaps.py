"""sitemap.xml (an index of per-type sitemaps, 2,000 addresses a page) and robots.txt.

Each sitemap is a declarative `sitemaps.Sitemap` subclass made for one site; Django's
views build absolute addresses from the request's host, and reverse() adds the /@slug/
prefix when the site is served under it.
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from byline.content.models import Post
from byline.tenancy.models import Site
from byline.tenancy.urls import site_reverse

URLS_PER_SITEMAP = 2000  # the limit the brief and search engines agree on; 50,000 at most
SITEMAP_MAX_AGE = 3600


class SiteSitemap(Sitemap):
    """A sitemap of one site."""

    limit = URLS_PER_SITEMAP

    def __init__(self, site: Site) -> None:
        self.site = site

    def public_posts(self) -> QuerySet:
        return Post.objects.for_site(self.site).published()


class PostSitemap(SiteSitemap):
    kind = "post"

    def items(self) -> QuerySet:
        # The site is joined so each address is built in the site's time zone, no query each.
        return (self.public_posts().filter(kind=self.kind).select_related("site")
                .only("kind", "slug", "published_at", "created_at", "updated_at",
                      "site__timezone").order_by("-published_at", "-pk"))

    def lastmod(self, post: Post):
        return max(post.updated_at, post.published_at)

    def get_latest_lastmod(self):
        # One aggregate, not a walk over every item as Sitemap's default does.
        latest = self.public_posts().filter(kind=self.kind).aggregate(
            updated=Max("updated_at"), published=Max("published_at"))
        return max(filter(None, latest.values()), default=None)


class PageSitemap(PostSitemap):
    kind = "page"


class _GroupSitemap(SiteSitemap):
    """Archives of posts grouped by a field: one address per value, lastmod its newest post."""

    field = ""
    viewname = ""

    def items(self) -> QuerySet:
        return (self.public_posts().posts().filter(**{f"{self.field}__isnull": False})
                .values(self.field).annotate(lastmod=Max("updated_at")).order_by(self.field))

    def location(self, item: dict) -> str:
        return site_reverse(self.viewname, item[self.field])

    def lastmod(self, item: dict):
        return item["lastmod"]

    def get_latest_lastmod(self):
        return (self.public_posts().posts().filter(**{f"{self.field}__isnull": False})
                .aggregate(latest=Max("updated_at"))["latest"])


class CategorySitemap(_GroupSitemap):
    field, viewname = "categories__slug", "reader:category"


class TagSitemap(_GroupSitemap):
    field, viewname = "tags__slug", "reader:tag"


class AuthorSitemap(_GroupSitemap):
    field, viewname = "author__username", "reader:author"


def sitemaps_for(site: Site) -> dict[str, Sitemap]:
    return {
        "posts": PostSitemap(site), "pages": PageSitemap(site),
        "categories": CategorySitemap(site), "tags": TagSitemap(site),
        "authors": AuthorSitemap(site),
    }


def _cacheable(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=SITEMAP_MAX_AGE)
    return response


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """/sitemap.xml: one entry per sitemap page of each type."""
    return _cacheable(sitemap_views.index(
        request, sitemaps_for(request.site), template_name="reader/sitemaps/index.xml",
        sitemap_url_name="reader:sitemap_section"))


@require_GET
def section(request: HttpRequest, section: str) -> HttpResponse:
    """/sitemap-posts.xml?p=2 and the like."""
    return _cacheable(sitemap_views.sitemap(
        request, sitemaps_for(request.site), section=section,
        template_name="reader/sitemaps/sitemap.xml"))


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawl everything public; the sitemap says where it all is."""
    sitemap = request.build_absolute_uri(reverse("reader:sitemap"))
    body = f"User-agent: *\nDisallow:\n\nSitemap: {sitemap}\n"
    return _cacheable(HttpResponse(body, content_type="text/plain; charset=utf-8"))
