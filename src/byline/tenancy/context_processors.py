from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """`site` in every template: the site being served, or None on the platform."""
    return {"site": getattr(request, "site", None)}
