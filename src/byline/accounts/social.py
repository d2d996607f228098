"""Social sign-in for commenters: which providers an operator turned on, and what to call
the account someone signed in with.

`providers_from_env` runs while settings load, so this module imports nothing of Django
or allauth at the top: the helpers below import what they need when called.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest

# allauth provider id → the BYLINE_<PREFIX>_CLIENT_ID / _SECRET variables that turn it on.
# Mastodon is missing: allauth (65.22) has no Mastodon provider.
ENV_PROVIDERS = {
    "github": "GITHUB",
    "google": "GOOGLE",
    "twitter_oauth2": "TWITTER",
    "facebook": "FACEBOOK",
}
LOCAL_ACCOUNT_NAME = "Byline"


def _oidc_apps(raw: str) -> list[dict]:
    """APPS for allauth's openid_connect provider from BYLINE_OIDC_PROVIDERS (a JSON list)."""
    if not raw.strip():
        return []
    try:
        servers = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"BYLINE_OIDC_PROVIDERS is not valid JSON: {exc}") from None
    if not isinstance(servers, list):
        raise ValueError("BYLINE_OIDC_PROVIDERS must be a JSON list of providers")
    apps = []
    for server in servers:
        missing = {"id", "name", "server_url", "client_id", "secret"} - set(server)
        if missing:
            raise ValueError(f"BYLINE_OIDC_PROVIDERS: a provider lacks {sorted(missing)}")
        apps.append({
            "provider_id": server["id"],
            "name": server["name"],
            "client_id": server["client_id"],
            "secret": server["secret"],
            "settings": {"server_url": server["server_url"], "oauth_pkce_enabled": True},
        })
    return apps


def providers_from_env(environ: Mapping[str, str]) -> dict:
    """SOCIALACCOUNT_PROVIDERS with one settings-based app per provider that has both a
    client id and a secret in the environment; nothing configured gives no apps at all."""
    providers: dict[str, dict] = {}
    for provider_id, prefix in ENV_PROVIDERS.items():
        client_id = environ.get(f"BYLINE_{prefix}_CLIENT_ID", "").strip()
        secret = environ.get(f"BYLINE_{prefix}_SECRET", "").strip()
        if client_id and secret:
            providers[provider_id] = {
                "APPS": [{"client_id": client_id, "secret": secret}],
                # PKCE wherever the provider supports it: a stolen code is then useless.
                "OAUTH_PKCE_ENABLED": provider_id != "facebook",
            }
    if "google" in providers:
        providers["google"]["SCOPE"] = ["openid", "profile", "email"]
    if "github" in providers:
        providers["github"]["SCOPE"] = ["read:user", "user:email"]
    oidc = _oidc_apps(environ.get("BYLINE_OIDC_PROVIDERS", ""))
    if oidc:
        providers["openid_connect"] = {"APPS": oidc, "OAUTH_PKCE_ENABLED": True}
    return providers


def configured_providers(request: HttpRequest) -> list:
    """The providers a visitor can sign in with, in a stable order (allauth Provider objects)."""
    from allauth.socialaccount.adapter import get_adapter

    return sorted(get_adapter().list_providers(request), key=lambda p: p.name.lower())


def _provider_name(request: HttpRequest | None, provider_id: str) -> str:
    from allauth.socialaccount.adapter import get_adapter

    try:
        return get_adapter().get_provider(request, provider_id).name
    except Exception:  # switched off since the user signed in: still a name to show
        return provider_id


def account_provider_name(user, request: HttpRequest | None = None) -> str:
    """What to call the account a user comments with: "GitHub", "Local ID", or "Byline".

    The way they signed in this session decides (allauth records it); without that
    record, a user with no usable password signed up through a provider, so that
    provider is their account, and anyone else has a Byline account.
    """
    if user is None or not user.is_authenticated:
        return ""
    if request is not None and hasattr(request, "session"):
        from allauth.account.internal.flows.login import get_authentication_records

        records = get_authentication_records(request, user)
        if records:
            last = records[-1]
            if last.get("method") == "socialaccount" and last.get("provider"):
                return _provider_name(request, last["provider"])
            return LOCAL_ACCOUNT_NAME
    if user.has_usable_password():
        return LOCAL_ACCOUNT_NAME
    from allauth.socialaccount.models import SocialAccount

    account = SocialAccount.objects.filter(user=user).order_by("pk").first()
    if account is None:
        return LOCAL_ACCOUNT_NAME
    return _provider_name(request, account.provider)
