"""People: the site's members and their roles, and invitations by e-mail.

The rules (who may grant, change or remove which role) live in tenancy.services; these
views only offer the choices those rules allow and report their refusals.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from byline.tenancy.models import Invitation, Membership, Site
from byline.tenancy.roles import Role
from byline.tenancy.services import (
    invitation_revoke,
    member_invite,
    member_remove,
    member_set_role,
    roles_assignable_by,
)

from ..forms_site import InviteForm, RoleForm
from ..permissions import site_view

ROLE_ORDER = {role: n for n, role in enumerate(Role.values)}


def _people_page(request: HttpRequest, site: Site,
                 invite_form: InviteForm | None = None) -> HttpResponse:
    assignable = roles_assignable_by(request.role)
    members = sorted(
        Membership.objects.filter(site=site).select_related("user"),
        key=lambda m: (ROLE_ORDER.get(m.role, 99), m.user.get_display_name().lower()))
    rows = []
    for membership in members:
        is_self = membership.user_id == request.user.pk
        manageable = not is_self and membership.role in assignable
        rows.append({
            "membership": membership,
            "is_self": is_self,
            "role_form": RoleForm(roles=assignable, initial={"role": membership.role},
                                  prefix=f"m{membership.pk}") if manageable else None,
            "can_remove": manageable or is_self,
        })
    invitations = (Invitation.objects.filter(site=site).pending()
                   .select_related("invited_by").order_by("-created_at"))
    return render(request, "dashboard/people.html", {
        "site": site,
        "rows": rows,
        "invitations": [{"invitation": i, "can_revoke": i.role in assignable}
                        for i in invitations],
        "invite_form": invite_form or InviteForm(roles=assignable),
    })


@never_cache
@require_http_methods(["GET"])
@site_view("manage_people")
def people(request: HttpRequest, site: Site) -> HttpResponse:
    return _people_page(request, site)


@require_POST
@site_view("manage_people")
def invite(request: HttpRequest, site: Site) -> HttpResponse:
    form = InviteForm(request.POST, roles=roles_assignable_by(request.role))
    if form.is_valid():
        try:
            invitation = member_invite(
                site=site, invited_by=request.user, email=form.cleaned_data["email"],
                role=form.cleaned_data["role"], base_url=request.build_absolute_uri("/"))
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("dashboard:people", site_slug=site.slug)
    return _people_page(request, site, invite_form=form)


@require_POST
@site_view("manage_people")
def change_role(request: HttpRequest, site: Site, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(Membership.objects.select_related("user"), site=site,
                                   pk=membership_id)
    form = RoleForm(request.POST, roles=roles_assignable_by(request.role),
                    prefix=f"m{membership.pk}")
    if not form.is_valid():
        messages.error(request, "Choose one of the roles offered.")
        return redirect("dashboard:people", site_slug=site.slug)
    try:
        membership = member_set_role(site=site, actor=request.user, membership=membership,
                                     role=form.cleaned_data["role"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{membership.user.get_display_name()} is now "
                                  f"{membership.get_role_display().lower()}.")
    return redirect("dashboard:people", site_slug=site.slug)


@never_cache
@require_http_methods(["GET", "POST"])
@site_view("manage_people")
def remove(request: HttpRequest, site: Site, membership_id: int) -> HttpResponse:
    """Ask first (a page, so it works without JavaScript), then remove on POST."""
    membership = get_object_or_404(Membership.objects.select_related("user"), site=site,
                                   pk=membership_id)
    is_self = membership.user_id == request.user.pk
    if request.method == "POST":
        try:
            member_remove(site=site, actor=request.user, membership=membership)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("dashboard:people", site_slug=site.slug)
        if is_self:
            messages.success(request, f"You left “{site.title}”.")
            return redirect("dashboard:my_sites")
        messages.success(request, f"{membership.user.get_display_name()} was removed from "
                                  f"“{site.title}”.")
        return redirect("dashboard:people", site_slug=site.slug)
    if not is_self and membership.role not in roles_assignable_by(request.role):
        raise PermissionDenied("Only an owner can change or remove an owner.")
    return render(request, "dashboard/people_remove.html",
                  {"site": site, "membership": membership, "is_self": is_self})


@require_POST
@site_view("manage_people")
def revoke(request: HttpRequest, site: Site, invitation_id: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.filter(site=site).pending(),
                                   pk=invitation_id)
    invitation_revoke(site=site, actor=request.user, invitation=invitation)
    messages.success(request, f"The invitation to {invitation.email} was withdrawn.")
    return redirect("dashboard:people", site_slug=site.slug)
