"""Byline's allauth glue: where people land after signing in, and which ?next= we follow."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from byline.tenancy.models import Membership


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Without a ?next=, a member goes to their sites; someone with no site yet goes
        to "Get started", which is where a new account is headed anyway."""
        if not Membership.objects.filter(user=request.user).exists():
            return resolve_url("start:begin")
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return self.get_login_redirect_url(request)

    def is_safe_url(self, url: str | None) -> bool:
        """Follow ?next= only to a page on this host (SECURITY-CASES 48).

        ALLOWED_HOSTS is "*" here (custom domains come and go at run time), so it must not
        widen the check; neither may any other host, a site's included: the session
        lives on the platform host.
        """
        request = context.request
        return url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
