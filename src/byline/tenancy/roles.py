"""Roles on a site and what each may do, as WordPress users know them."""

from django.db import models


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMINISTRATOR = "administrator", "Administrator"
    EDITOR = "editor", "Editor"
    AUTHOR = "author", "Author"
    CONTRIBUTOR = "contributor", "Contributor"


class Capability(models.TextChoices):
    WRITE = "write", "Write posts (drafts)"
    PUBLISH_OWN = "publish_own", "Publish their own posts"
    EDIT_OTHERS = "edit_others", "Edit and publish everyone's posts"
    UPLOAD_MEDIA = "upload_media", "Upload media"
    MODERATE = "moderate", "Moderate comments"
    MANAGE_SETTINGS = "manage_settings", "Change site settings"
    MANAGE_PEOPLE = "manage_people", "Invite and manage people"
    DELETE_SITE = "delete_site", "Delete the site"


_CONTRIBUTOR = {Capability.WRITE}
_AUTHOR = _CONTRIBUTOR | {Capability.PUBLISH_OWN, Capability.UPLOAD_MEDIA}
_EDITOR = _AUTHOR | {Capability.EDIT_OTHERS, Capability.MODERATE}
_ADMINISTRATOR = _EDITOR | {Capability.MANAGE_SETTINGS, Capability.MANAGE_PEOPLE}
_OWNER = _ADMINISTRATOR | {Capability.DELETE_SITE}

CAPABILITIES: dict[str, frozenset[str]] = {
    Role.OWNER: frozenset(_OWNER),
    Role.ADMINISTRATOR: frozenset(_ADMINISTRATOR),
    Role.EDITOR: frozenset(_EDITOR),
    Role.AUTHOR: frozenset(_AUTHOR),
    Role.CONTRIBUTOR: frozenset(_CONTRIBUTOR),
}


def role_can(role: str | None, capability: str) -> bool:
    """Whether a member with `role` has `capability`; no role has none."""
    return role is not None and capability in CAPABILITIES.get(role, frozenset())
