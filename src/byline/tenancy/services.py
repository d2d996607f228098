from django.db import transaction

from .models import Membership, Site
from .roles import Role


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


@transaction.atomic
def member_add(*, site: Site, user, role: str) -> Membership:
    membership, _ = Membership.objects.update_or_create(site=site, user=user,
                                                        defaults={"role": role})
    return membership
