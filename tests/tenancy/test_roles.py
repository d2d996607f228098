"""What each role may do on a site, as WordPress users know the roles."""

import pytest
from django.contrib.auth.models import AnonymousUser

from byline.tenancy.roles import Role
from tests.factories import MembershipFactory, SiteFactory, UserFactory

pytestmark = pytest.mark.django_db

CAPABILITIES = ["write", "publish_own", "upload_media", "edit_others", "moderate",
                "manage_settings", "manage_people", "delete_site"]

# One row per role, in the order of CAPABILITIES.
TABLE = {
    Role.OWNER: (1, 1, 1, 1, 1, 1, 1, 1),
    Role.ADMINISTRATOR: (1, 1, 1, 1, 1, 1, 1, 0),
    Role.EDITOR: (1, 1, 1, 1, 1, 0, 0, 0),
    Role.AUTHOR: (1, 1, 1, 0, 0, 0, 0, 0),
    Role.CONTRIBUTOR: (1, 0, 0, 0, 0, 0, 0, 0),
}

CASES = [
    pytest.param(role, capability, bool(allowed), id=f"{role}-{capability}")
    for role, row in TABLE.items()
    for capability, allowed in zip(CAPABILITIES, row, strict=True)
]


@pytest.mark.parametrize(("role", "capability", "allowed"), CASES)
def test_a_members_role_decides_what_they_may_do(role, capability, allowed):
    membership = MembershipFactory(role=role)

    assert membership.site.user_can(membership.user, capability) is allowed


@pytest.mark.parametrize("capability", CAPABILITIES)
def test_a_signed_in_non_member_may_do_nothing(capability):
    site = SiteFactory()

    assert site.user_can(UserFactory(), capability) is False


@pytest.mark.parametrize("capability", CAPABILITIES)
def test_an_anonymous_visitor_may_do_nothing(capability):
    assert SiteFactory().user_can(AnonymousUser(), capability) is False


def test_a_role_on_one_site_gives_nothing_on_another():
    membership = MembershipFactory(role=Role.EDITOR)
    elsewhere = SiteFactory()

    assert elsewhere.user_can(membership.user, "write") is False
