"""Template tags for the public site and the platform pages."""

from django import template
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import timezone

from byline.content.models import Category, Post, Status
from byline.reader.memo import site_memo
from byline.rendering import make_excerpt
from byline.tenancy import urls as tenancy_urls

register = template.Library()


@register.simple_tag(takes_context=True)
def platform_url(context, viewname: str, *args) -> str:
    """A link to a platform page (sign up, log in) from a site page or the platform."""
    return tenancy_urls.platform_url(context["request"], viewname, *args)


@register.simple_tag
def site_home(site) -> str:
    """A site's home under /@slug/, for links from the platform's pages."""
    return tenancy_urls.site_path(site, "reader:home")


@register.simple_tag
def site_pages(site) -> list[Post]:
    """Published pages for the site's menu, in the author's order."""
    return site_memo(site, "menu", lambda: list(
        Post.objects.for_site(site).pages().published().filter(parent=None)
        .order_by("menu_order", "title").only("title", "slug", "kind", "site_id")))


@register.simple_tag
def site_categories(site) -> list[Category]:
    """Categories that hold at least one public post, with their counts."""
    def compute() -> list[Category]:
        live = Q(posts__status__in=(Status.PUBLISHED, Status.SCHEDULED),
                 posts__published_at__lte=timezone.now(), posts__kind="post",
                 posts__trashed_at__isnull=True)
        return list(Category.objects.for_site(site).annotate(count=Count("posts", filter=live))
                    .filter(count__gt=0).order_by("name"))

    return site_memo(site, "categories", compute)


@register.simple_tag
def site_archive_months(site) -> list:
    """The months, in the site's time zone, that have public posts, newest first."""
    return site_memo(site, "months", lambda: list(
        Post.objects.for_site(site).posts().published()
        .datetimes("published_at", "month", order="DESC", tzinfo=site.tzinfo)))


@register.simple_tag
def archives_nav(site) -> str:
    """The categories and monthly archives of the site's footer, rendered once per change
    (with the links' script prefix: the site's host or /@slug/)."""
    def compute() -> str:
        with timezone.override(site.tzinfo):
            return render_to_string("reader/_archives_nav_body.html", {
                "categories": site_categories(site), "months": site_archive_months(site)})

    return site_memo(site, f"nav:{get_script_prefix()}", compute)


@register.filter
def excerpt(html: str, words: int = 55) -> str:
    """The opening words of rendered HTML as plain text, paragraphs kept apart."""
    return make_excerpt(html or "", int(words))


class SiteMemoNode(template.Node):
    def __init__(self, nodelist, name: str, vary: list, unless) -> None:
        self.nodelist, self.name, self.vary, self.unless = nodelist, name, vary, unless

    def render(self, context) -> str:
        site = context.get("site")
        if site is None or (self.unless is not None and self.unless.resolve(context)):
            return self.nodelist.render(context)
        parts = [str(value.resolve(context)) for value in self.vary]
        key = ":".join([self.name, get_script_prefix(), *parts])
        return site_memo(site, f"fragment:{key}", lambda: self.nodelist.render(context))


@register.tag
def sitememo(parser, token):
    """`{% sitememo "name" var ... [unless=var] %}…{% endsitememo %}`: the block's HTML,
    rendered once per site change (reader/memo.py) for each value of the vars and the
    script prefix; rendered afresh every time when `unless` is true. Only for blocks whose
    HTML depends on nothing but those: never one that holds a CSRF token."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("sitememo needs a name")
    name = bits[1].strip("\"'")
    unless = None
    vary = []
    for bit in bits[2:]:
        if bit.startswith("unless="):
            unless = parser.compile_filter(bit.removeprefix("unless="))
        else:
            vary.append(parser.compile_filter(bit))
    nodelist = parser.parse(("endsitememo",))
    parser.delete_first_token()
    return SiteMemoNode(nodelist, name, vary, unless)
