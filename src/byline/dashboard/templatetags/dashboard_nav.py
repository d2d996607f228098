"""The dashboard's navigation: an entry shows only when its screen exists and the
signed-in member's role allows it (the screen's own view checks the role again)."""

from django import template
from django.urls import NoReverseMatch, reverse

from byline.discussion.models import Comment

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


@register.inclusion_tag("dashboard/_nav_item.html", takes_context=True)
def dashboard_comments_nav_item(context) -> dict:
    """The Comments entry with the number awaiting moderation: every comment for editors
    and up, those on their own posts for authors (who moderate only those)."""
    request, site = context["request"], context["site"]
    pending = Comment.objects.for_site(site).awaiting_moderation()
    if not site.user_can(request.user, "moderate"):
        if not site.user_can(request.user, "publish_own"):
            return {"url": ""}
        pending = pending.filter(post__author=request.user)
    item = dashboard_nav_item(context, "dashboard:comments", "Comments")
    if item["url"]:
        # One query per request, however often the nav is drawn.
        counts = request.__dict__.setdefault("_pending_comments", {})
        if site.pk not in counts:
            counts[site.pk] = pending.count()
        item["badge"] = counts[site.pk]
        item["badge_text"] = f"{counts[site.pk]} awaiting moderation"
    return item


@register.simple_tag(takes_context=True)
def site_can(context, site, capability: str) -> bool:
    """Whether the signed-in user may do `capability` on `site`:
    `{% site_can site "manage_people" as can_manage %}`."""
    return site.user_can(context["request"].user, capability)
