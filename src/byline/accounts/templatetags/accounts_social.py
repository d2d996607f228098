"""Social sign-in in site templates: `{% load accounts_social %}`.

`{% social_login_buttons next_url %}` renders one POST form per configured provider
(nothing at all when none is configured); `{% account_provider_name user %}` names the
account a signed-in user comments with ("GitHub", "Byline").
"""

from django import template

from byline.accounts import social
from byline.tenancy import urls as tenancy_urls

register = template.Library()


def _login_url(request, provider) -> str:
    """allauth's login view for a provider, on the platform host, even from a site page
    (whose URLconf does not have allauth's URLs)."""
    if provider.app is not None and provider.app.provider_id:  # OpenID Connect & co.
        return tenancy_urls.platform_url(request, f"{provider.app.provider}_login",
                                         provider_id=provider.app.provider_id)
    return tenancy_urls.platform_url(request, f"{provider.id}_login")


@register.inclusion_tag("accounts/social_login_buttons.html", takes_context=True)
def social_login_buttons(context, next_url: str = "", links: bool = False) -> dict:
    """A button per configured provider, none when there is none.

    On the platform host (where the session lives) each is a POST form that starts the
    handshake. A site on its own host cannot post there (its CSRF cookie is not the
    platform's), and a page served from the page cache (`links=True`: the comment form
    a guest sees) carries no CSRF token at all: there each is a link to allauth's
    confirmation page, whose own POST form starts it (a GET never does).
    """
    request = context.get("request")
    buttons = []
    if request is not None:
        for provider in social.configured_providers(request):
            url = _login_url(request, provider)
            buttons.append({"name": provider.name, "url": url,
                            "post": not links and url.startswith("/")})
    return {"buttons": buttons, "next_url": next_url,
            "csrf_token": context.get("csrf_token")}


@register.simple_tag(takes_context=True)
def account_provider_name(context, user) -> str:
    """ "GitHub", "Local ID" or "Byline": what the user signed in with."""
    return social.account_provider_name(user, context.get("request"))
