""""Get started": account → site title → address → theme → the new site's dashboard.

Each step is a plain form that posts to itself and keeps its answer in the session, so
the wizard works without JavaScript; start.js only checks the address as it is typed.
A signed-out visitor is sent to sign up first and comes back here (?next=/start/).
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from byline.tenancy.models import Invitation, Theme
from byline.tenancy.roles import Role
from byline.tenancy.services import invitation_accept, site_create

from ..forms_site import (
    StartAddressForm,
    StartThemeForm,
    StartTitleForm,
    address_problem,
    suggest_address,
)

SESSION_KEY = "byline_start"
STEPS = ["Account", "Title", "Address", "Theme"]

THEME_NOTES = {
    Theme.CANVAS: "Clean and calm: one wide column of text in a modern sans-serif, "
                  "for essays, notes and photos.",
    Theme.PRESS: "A small magazine: serif headlines, a sidebar with categories and "
                 "archives, for sites that publish often.",
}


def _signed_in(view: Callable) -> Callable:
    """A signed-out visitor signs up first (with a link to log in instead), then returns."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("account_signup"))
        return view(request, *args, **kwargs)

    return wrapper


def _answers(request: HttpRequest) -> dict:
    return dict(request.session.get(SESSION_KEY) or {})


def _remember(request: HttpRequest, **answers: str) -> None:
    request.session[SESSION_KEY] = {**_answers(request), **answers}


def _render_step(request: HttpRequest, template: str, step: int, context: dict) -> HttpResponse:
    steps = [{"name": name, "done": n < step, "current": n == step}
             for n, name in enumerate(STEPS)]
    return render(request, template, {"steps": steps, "step": step + 1,
                                       "step_count": len(STEPS),
                                       "base_domain": settings.BYLINE_BASE_DOMAIN, **context})


@never_cache
@_signed_in
@require_http_methods(["GET", "POST"])
def begin(request: HttpRequest) -> HttpResponse:
    """Step 2: the site's title (step 1, the account, is behind us once signed in)."""
    answers = _answers(request)
    form = StartTitleForm(request.POST or None, initial={"title": answers.get("title", "")})
    if request.method == "POST" and form.is_valid():
        title = form.cleaned_data["title"]
        if title != answers.get("title"):
            _remember(request, title=title, slug="")
        return redirect("start:address")
    return _render_step(request, "dashboard/start/title.html", 1, {"form": form})


@never_cache
@_signed_in
@require_http_methods(["GET", "POST"])
def address(request: HttpRequest) -> HttpResponse:
    """Step 3: the address, SLUG.example.com and /@SLUG/."""
    answers = _answers(request)
    if not answers.get("title"):
        return redirect("start:begin")
    initial = answers.get("slug") or suggest_address(answers["title"])
    form = StartAddressForm(request.POST or None, initial={"slug": initial})
    if request.method == "POST" and form.is_valid():
        _remember(request, slug=form.cleaned_data["slug"])
        return redirect("start:theme")
    return _render_step(request, "dashboard/start/address.html", 2, {
        "form": form, "title": answers["title"], "check_url": reverse("start:check_address"),
    })


@never_cache
@_signed_in
@require_http_methods(["GET", "POST"])
def theme(request: HttpRequest) -> HttpResponse:
    """Step 4: the theme; posting it creates the site and opens its dashboard."""
    answers = _answers(request)
    if not answers.get("title"):
        return redirect("start:begin")
    if not answers.get("slug"):
        return redirect("start:address")
    form = StartThemeForm(request.POST or None,
                          initial={"theme": answers.get("theme", Theme.CANVAS)})
    if request.method == "POST" and form.is_valid():
        try:
            site = site_create(owner=request.user, slug=answers["slug"], title=answers["title"],
                               theme=form.cleaned_data["theme"])
        except (ValidationError, IntegrityError):
            # Someone took the address since step 3 (or it became invalid): choose again.
            _remember(request, slug="", theme=form.cleaned_data["theme"])
            messages.error(request, f"The address “{answers['slug']}” was taken in the "
                                    "meantime. Please choose another.")
            return redirect("start:address")
        request.session.pop(SESSION_KEY, None)
        messages.success(request, f"Your site “{site.title}” is ready. Write your first post!")
        return redirect("dashboard:site", site_slug=site.slug)
    themes = [{"value": value, "label": value.title(), "note": THEME_NOTES[value]}
              for value in Theme.values]
    return _render_step(request, "dashboard/start/theme.html", 3, {
        "form": form, "themes": themes, "title": answers["title"], "slug": answers["slug"],
        "chosen": form["theme"].value() or Theme.CANVAS,
    })


@never_cache
@require_GET
def check_address(request: HttpRequest) -> JsonResponse:
    """The live check behind the address field: {"ok": bool, "message": str}."""
    if not request.user.is_authenticated:
        return JsonResponse({"ok": False, "message": "Sign in to choose an address."},
                            status=401)
    slug = request.GET.get("slug", "").strip().lower()[:100]
    problem = address_problem(slug)
    if problem:
        return JsonResponse({"ok": False, "message": problem})
    return JsonResponse({"ok": True,
                         "message": f"{slug}.{settings.BYLINE_BASE_DOMAIN} is free."})


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation's landing page: sign up or log in, then accept to join the site."""
    invite = get_object_or_404(Invitation.objects.select_related("site", "invited_by"),
                               token=token)
    context = {"invitation": invite, "site_title": invite.site.title}
    if invite.accepted_at is not None or invite.is_expired:
        context["problem"] = ("This invitation has already been accepted."
                              if invite.accepted_at else
                              "This invitation has expired. Ask the person who invited you "
                              "for a new one.")
        return render(request, "dashboard/start/invitation.html", context, status=410)
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        return render(request, "dashboard/start/invitation.html", context)
    role = invite.site.role_of(request.user)
    if request.method == "POST" and role is None:
        try:
            invitation_accept(invitation=invite, user=request.user)
        except ValidationError as error:
            context["problem"] = " ".join(error.messages)
            return render(request, "dashboard/start/invitation.html", context, status=409)
        messages.success(request, f"Welcome to “{invite.site.title}”. You joined as "
                                  f"{invite.get_role_display().lower()}.")
        return redirect("dashboard:site", site_slug=invite.site.slug)
    context["current_role"] = Role(role).label if role else None
    return render(request, "dashboard/start/invitation.html", context)
