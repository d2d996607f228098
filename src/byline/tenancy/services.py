"""Writes to sites, their domains and their people. Every entry point (the dashboard, the
"Get started" wizard, the CLI, the APIs) goes through these functions."""

import secrets
import threading
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import INVITATION_VALID_FOR, Domain, Invitation, Membership, Site
from .roles import Role
from .signals import content_changed
from .tasks import send_invitation


@transaction.atomic
def site_create(*, owner, slug: str, title: str, tagline: str = "", theme: str = "canvas",
                language: str = "en", timezone: str = "UTC", is_public: bool = True) -> Site:
    """Create a site and make its creator the owner."""
    site = Site(owner=owner, slug=slug.strip().lower(), title=title, tagline=tagline,
                theme=theme, language=language, timezone=timezone, is_public=is_public)
    site.full_clean()
    site.save()
    Membership.objects.create(site=site, user=owner, role=Role.OWNER)
    return site


_batch = threading.local()


@contextmanager
def content_changes_batched():
    """Inside this block, `bump_content_version` only notes the sites it was asked about;
    each is bumped once when the block ends (an import touching 10,000 posts bumps once)."""
    outer = getattr(_batch, "sites", None)
    if outer is not None:
        yield
        return
    _batch.sites = set()
    try:
        yield
    finally:
        sites, _batch.sites = _batch.sites, None
        for site_id in sites:
            bump_content_version(site_id)


def bump_content_version(site: Site | int) -> None:
    """Record that something a reader could see on `site` changed: a publish, edit, trash or
    delete, an approved comment, a like, a settings change. The page cache keys on the
    version, so no cached page survives it; listeners to `content_changed` (the cache's
    files for nginx) hear of it once the change is committed."""
    site_id = site if isinstance(site, int) else site.pk
    pending = getattr(_batch, "sites", None)
    if pending is not None:
        pending.add(site_id)
        return
    Site.objects.filter(pk=site_id).update(content_version=F("content_version") + 1)
    if not isinstance(site, int):
        site.content_version = (site.content_version or 0) + 1
    transaction.on_commit(lambda: content_changed.send(sender=Site, site_id=site_id))


# What the settings screen may change; the address (slug) and the owner are not settings.
SETTINGS_FIELDS = frozenset({
    "title", "tagline", "language", "timezone", "theme", "posts_per_page", "is_public",
    "comments_open_by_default", "comments_hold_first_time", "comments_close_after_days",
    "comment_thread_depth", "feed_full_content",
})


@transaction.atomic
def site_update(*, site: Site, custom_domain: str | None = None, **changes: Any) -> Site:
    """Change a site's settings, and its custom domain when `custom_domain` is given
    ("" removes it). Raises ValidationError and saves nothing when any value is wrong."""
    unknown = set(changes) - SETTINGS_FIELDS
    if unknown:
        raise TypeError(f"site_update() cannot change {', '.join(sorted(unknown))}")
    if changes:
        for name, value in changes.items():
            setattr(site, name, value)
        site.full_clean()
        site.save(update_fields=[*changes])
    if custom_domain is not None:
        site_set_custom_domain(site=site, host=custom_domain)
    bump_content_version(site)
    return site


@transaction.atomic
def site_set_custom_domain(*, site: Site, host: str) -> Domain | None:
    """Make `host` the site's one custom domain, replacing any other; "" removes it.

    A host another site uses is refused (ValidationError on "host").
    """
    current = site.domains.filter(is_primary=True).first() or site.domains.first()
    if not host.strip():
        site.domains.all().delete()
        return None
    domain = current or Domain(site=site)
    domain.host, domain.is_primary = host, True
    domain.full_clean()
    domain.save()
    site.domains.exclude(pk=domain.pk).delete()
    return domain


@transaction.atomic
def member_add(*, site: Site, user, role: str) -> Membership:
    membership, _ = Membership.objects.update_or_create(site=site, user=user,
                                                        defaults={"role": role})
    return membership


# --- People: who may grant, change and remove which roles --------------------------------

_STAFF_ROLES = (Role.ADMINISTRATOR, Role.EDITOR, Role.AUTHOR, Role.CONTRIBUTOR)


def roles_assignable_by(role: str | None) -> list[str]:
    """The roles a member with `role` may give others: owners any, administrators any but
    owner, everyone else none."""
    if role == Role.OWNER:
        return [Role.OWNER, *_STAFF_ROLES]
    if role == Role.ADMINISTRATOR:
        return list(_STAFF_ROLES)
    return []


def _lock_owners(site: Site) -> list[int]:
    """Lock the site's owner memberships for the rest of the transaction, so that changes
    to people are made one at a time (two owners cannot demote each other at once), and
    return the owners' user ids."""
    return list(Membership.objects.select_for_update().filter(site_id=site.pk, role=Role.OWNER)
                .order_by("pk").values_list("user_id", flat=True))


def _actor_role(site: Site, actor) -> str:
    # Read afresh rather than from site.role_of(), whose memo may predate the lock.
    role = Membership.objects.filter(site_id=site.pk, user_id=actor.pk).values_list(
        "role", flat=True).first()
    if not roles_assignable_by(role):
        raise PermissionDenied("Only the site’s owners and administrators manage its people.")
    return role


def _membership_on(site: Site, membership: Membership) -> Membership:
    found = Membership.objects.select_for_update().select_related("site").filter(
        site_id=site.pk, pk=membership.pk).first()
    if found is None:
        raise PermissionDenied("That person is not a member of this site.")
    return found


def _check_may_manage(site: Site, actor, membership: Membership) -> str:
    """The actor's role, once sure they may touch `membership` at all."""
    role = _actor_role(site, actor)
    if membership.role not in roles_assignable_by(role):
        raise PermissionDenied("Only an owner can change or remove an owner.")
    return role


def _hand_over_site_owner(membership: Membership, owners: list[int]) -> None:
    """Keep Site.owner pointing at someone who still owns the site."""
    site = membership.site
    if site.owner_id == membership.user_id:
        site.owner_id = next(user_id for user_id in owners if user_id != membership.user_id)
        site.save(update_fields=["owner"])


@transaction.atomic
def member_set_role(*, site: Site, actor, membership: Membership, role: str) -> Membership:
    """Give a member another role.

    Nobody changes their own role, and only owners touch owners; so whoever demotes an
    owner is an owner who stays one, and the site never runs out of owners.
    """
    owners = _lock_owners(site)
    membership = _membership_on(site, membership)
    if membership.user_id == actor.pk:
        raise PermissionDenied("You cannot change your own role.")
    actor_role = _check_may_manage(site, actor, membership)
    if role not in roles_assignable_by(actor_role):
        raise PermissionDenied("Only an owner can make someone an owner.")
    if membership.role == role:
        return membership
    if membership.role == Role.OWNER:
        _hand_over_site_owner(membership, owners)
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def member_remove(*, site: Site, actor, membership: Membership) -> None:
    """Take someone off a site, or let a member leave it (removing themselves).

    Their posts stay, credited to them. Only owners remove owners, and the last owner
    can neither be removed nor leave.
    """
    owners = _lock_owners(site)
    membership = _membership_on(site, membership)
    if membership.user_id != actor.pk:
        _check_may_manage(site, actor, membership)
    if membership.role == Role.OWNER:
        if owners == [membership.user_id]:
            raise ValidationError("The site must keep at least one owner. Make someone else "
                                  "an owner first.")
        _hand_over_site_owner(membership, owners)
    membership.delete()


@transaction.atomic
def member_invite(*, site: Site, invited_by, email: str, role: str,
                  base_url: str) -> Invitation:
    """Invite someone by e-mail to take a role on the site.

    The e-mail (with the accept link, built on `base_url`, the platform's scheme and
    host) is sent by a task once the invitation is committed.
    """
    if role not in roles_assignable_by(_actor_role(site, invited_by)):
        raise PermissionDenied("Only an owner can invite an owner.")
    email = email.strip()
    if Membership.objects.filter(site=site, user__email__iexact=email).exists():
        raise ValidationError({"email": "Someone with this address is already a member."})
    # An expired invitation no longer blocks a new one to the same address.
    Invitation.objects.filter(site=site, email__iexact=email, accepted_at__isnull=True,
                              created_at__lte=timezone.now() - INVITATION_VALID_FOR).delete()
    if Invitation.objects.filter(site=site, email__iexact=email,
                                 accepted_at__isnull=True).exists():
        raise ValidationError({"email": "This address already has a pending invitation."})
    invitation = Invitation(site=site, email=email.lower(), role=role, invited_by=invited_by,
                            token=secrets.token_urlsafe(32))
    invitation.full_clean()
    invitation.save()
    transaction.on_commit(lambda: send_invitation.enqueue(invitation_id=invitation.pk,
                                                          base_url=base_url))
    return invitation


@transaction.atomic
def invitation_revoke(*, site: Site, actor, invitation: Invitation) -> None:
    """Withdraw a pending invitation; its link stops working."""
    role = _actor_role(site, actor)
    if invitation.site_id != site.pk:
        raise PermissionDenied("That invitation is not for this site.")
    if invitation.role not in roles_assignable_by(role):
        raise PermissionDenied("Only an owner can withdraw an invitation to be an owner.")
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).delete()


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """Join the site with the invited role. The token is the proof: any signed-in account
    may accept, once, before the invitation expires."""
    invitation = Invitation.objects.select_for_update().select_related("site").get(
        pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError("This invitation has already been accepted.", code="used")
    if invitation.is_expired:
        raise ValidationError("This invitation has expired. Ask for a new one.",
                              code="expired")
    role = invitation.site.role_of(user)
    if role is not None:
        raise ValidationError("You are already a member of this site.", code="member")
    membership = Membership(site=invitation.site, user=user, role=invitation.role)
    membership.full_clean()
    membership.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership
