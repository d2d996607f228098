"""The dashboard's navigation: an entry shows only when its screen exists and the
signed-in member's role allows it (the screen's own view checks the role again)."""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.inclusion_tag("dashboard/_nav_item.html", takes_context=True)
def dashboard_nav_item(context, viewname: str, label: str, capability: str = "") -> dict:
    """One link of the site's dashboard nav, marked current on its screen and below it.

    A name another feature has not wired yet renders nothing rather than breaking
    every dashboard page.
    """
    request, site = context["request"], context["site"]
    if capability and not site.user_can(request.user, capability):
        return {"url": ""}
    try:
        url = reverse(viewname, args=[site.slug])
    except NoReverseMatch:
        return {"url": ""}
    home = reverse("dashboard:site", args=[site.slug])
    current = request.path == url or (url != home and request.path.startswith(url))
    return {"url": url, "label": label, "current": current}


@register.simple_tag(takes_context=True)
def site_can(context, site, capability: str) -> bool:
    """Whether the signed-in user may do `capability` on `site`:
    `{% site_can site "manage_people" as can_manage %}`."""
    return site.user_can(context["request"].user, capability)
