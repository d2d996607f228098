"""Themes by fallback: a theme overrides only the templates it needs."""

from django.http import HttpRequest, HttpResponse
from django.template.loader import select_template


def theme_templates(site, name: str) -> list[str]:
    return [f"themes/{site.theme}/reader/{name}", f"reader/{name}"]


def render_themed(request: HttpRequest, name: str, context: dict, status: int = 200
                  ) -> HttpResponse:
    site = request.site
    template = select_template(theme_templates(site, name))
    # Children extend the theme's base when it has one, so a theme can reshape the frame.
    context.setdefault("base_template", select_template(theme_templates(site, "base.html")))
    return HttpResponse(template.render(context, request), status=status)
