"""allauth's social sign-in hooks for Byline."""

from allauth.socialaccount.adapter import DefaultSocialAccountAdapter, _build_apps_from_settings


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None) -> list:
        """Only the apps in settings (SOCIALACCOUNT_PROVIDERS, from the environment).

        Byline never keeps provider credentials in the database, and skipping allauth's
        SocialApp query keeps the post page's query count fixed for guests.
        """
        apps_by_provider = _build_apps_from_settings(provider=provider, client_id=client_id)
        return [app for apps in apps_by_provider.values() for app in apps]

    def populate_user(self, request, sociallogin, data):
        """Name the new user as the provider does: the `name` claim, else the user name,
        so their comments carry that name from the first one."""
        user = super().populate_user(request, sociallogin, data)
        name = (data.get("name") or data.get("username") or "").strip()
        if not name:
            extra = sociallogin.account.extra_data or {}
            name = str(extra.get("name") or extra.get("login") or "").strip()
        user.display_name = name[: user._meta.get_field("display_name").max_length]
        return user
