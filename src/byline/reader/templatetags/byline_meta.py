"""The head of every public page: canonical, description, Open Graph, Twitter card,
feed autodiscovery and JSON-LD (see reader/seo.py). `{% load byline_meta %}{% head_meta %}`"""

from django import template

from byline.reader import seo

register = template.Library()


@register.inclusion_tag("reader/meta/head.html", takes_context=True)
def head_meta(context) -> dict:
    request = context["request"]
    site = context.get("site") or request.site
    return {"meta": seo.page_meta(request, site, context), "site": site,
            "locale": seo.og_locale(site.language)}
