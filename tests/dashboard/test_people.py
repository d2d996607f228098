"""People: members and roles, invitations by e-mail, and the rules of who may do what."""

import re

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from byline.tenancy.models import Invitation, Membership, Site
from byline.tenancy.roles import Role
from byline.tenancy.services import (
    invitation_accept,
    invitation_revoke,
    member_invite,
    member_remove,
    member_set_role,
    roles_assignable_by,
)
from byline.tenancy.tasks import send_invitation
from tests.factories import MembershipFactory, SiteFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/dashboard/demo/people/"
BASE_URL = "http://testserver/"
ACCEPT_LINK = re.compile(r"http://testserver(/start/invitation/[\w-]+/)")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def member(site, role: str) -> Membership:
    return MembershipFactory(site=site, role=role)


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def owner_membership(site) -> Membership:
    return Membership.objects.get(site=site, user=site.owner)


def invite(site, by, email="guest@example.com", role=Role.AUTHOR) -> Invitation:
    return member_invite(site=site, invited_by=by, email=email, role=role, base_url=BASE_URL)


# --- Who may open the page -------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMINISTRATOR])
def test_owners_and_administrators_see_the_members_and_their_roles(site, role):
    author = member(site, Role.AUTHOR)

    response = as_user(member(site, role).user).get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert author.user.get_display_name() in html
    assert author.user.email in html
    assert site.owner.get_display_name() in html


@pytest.mark.parametrize("role", [Role.EDITOR, Role.AUTHOR, Role.CONTRIBUTOR])
def test_other_roles_get_a_403(site, role):
    response = as_user(member(site, role).user).get(URL)

    assert response.status_code == 403
    assert "Your role on this site does not allow this." in response.content.decode()


def test_a_signed_in_stranger_gets_a_403(site):
    assert as_user(UserFactory()).get(URL).status_code == 403


def test_a_guest_is_sent_to_log_in(client, site):
    response = client.get(URL)

    assert response["Location"] == f"/accounts/login/?next={URL}"


@pytest.mark.parametrize(("role", "shown"), [
    (Role.OWNER, True), (Role.ADMINISTRATOR, True), (Role.EDITOR, False),
    (Role.AUTHOR, False), (Role.CONTRIBUTOR, False),
])
def test_the_nav_shows_people_only_to_roles_that_manage_them(site, role, shown):
    response = as_user(member(site, role).user).get("/dashboard/demo/")

    assert ('href="/dashboard/demo/people/"' in response.content.decode()) is shown


@pytest.mark.parametrize("role", [Role.EDITOR, Role.AUTHOR, Role.CONTRIBUTOR])
def test_other_roles_cannot_invite(site, role):
    response = as_user(member(site, role).user).post(
        "/dashboard/demo/people/invite/", {"email": "x@example.com", "role": "editor"})

    assert response.status_code == 403
    assert not Invitation.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize("role", [Role.EDITOR, Role.AUTHOR, Role.CONTRIBUTOR])
def test_other_roles_cannot_change_roles(site, role):
    target = member(site, Role.CONTRIBUTOR)

    response = as_user(member(site, role).user).post(
        f"/dashboard/demo/people/{target.pk}/role/", {f"m{target.pk}-role": "administrator"})

    target.refresh_from_db()
    assert response.status_code == 403
    assert target.role == Role.CONTRIBUTOR


@pytest.mark.parametrize("role", [Role.EDITOR, Role.AUTHOR, Role.CONTRIBUTOR])
def test_other_roles_cannot_remove_anyone(site, role):
    target = member(site, Role.CONTRIBUTOR)

    response = as_user(member(site, role).user).post(
        f"/dashboard/demo/people/{target.pk}/remove/")

    assert response.status_code == 403
    assert Membership.objects.filter(pk=target.pk).exists()


def test_a_member_of_another_site_cannot_be_touched_through_this_one(site, owner):
    elsewhere = member(SiteFactory(slug="other"), Role.AUTHOR)

    response = as_user(owner).post(f"/dashboard/demo/people/{elsewhere.pk}/remove/")

    assert response.status_code == 404
    assert Membership.objects.filter(pk=elsewhere.pk).exists()


# --- Inviting --------------------------------------------------------------------------


def test_an_invitation_is_mailed_with_its_accept_link(site, owner,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(owner).post("/dashboard/demo/people/invite/",
                                       {"email": "Guest@Example.com", "role": "editor"})

    invitation = Invitation.objects.get()
    assert response["Location"] == URL
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "guest@example.com", "editor", owner)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["guest@example.com"]
    assert "Demo Site" in message.subject
    assert "Editor" in message.body
    assert ACCEPT_LINK.search(message.body).group(1) == f"/start/invitation/{invitation.token}/"


def test_an_invitation_withdrawn_before_its_mail_went_out_is_not_mailed(site, owner):
    invitation = invite(site, owner)  # its mail waits for the commit, which tests never do
    invitation_revoke(site=site, actor=owner, invitation=invitation)

    send_invitation.call(invitation_id=invitation.pk, base_url=BASE_URL)

    assert not mail.outbox


def test_an_invitation_mail_names_the_site_the_inviter_and_the_expiry(site, owner):
    invitation = invite(site, owner, role=Role.CONTRIBUTOR)

    send_invitation.call(invitation_id=invitation.pk, base_url="https://byline.example/")

    body = mail.outbox[0].body
    assert f"{owner.get_display_name()} has invited you to join “Demo Site”" in body
    assert "with the role of Contributor" in body
    assert f"https://byline.example/start/invitation/{invitation.token}/" in body
    assert invitation.expires_at.strftime("%B %-d, %Y") in body


def test_a_title_with_a_line_break_cannot_break_the_subject_line(site, owner):
    Site.objects.filter(pk=site.pk).update(title="Demo\nBcc: victim@example.com")
    invitation = invite(site, owner)

    send_invitation.call(invitation_id=invitation.pk, base_url=BASE_URL)

    assert "\n" not in mail.outbox[0].subject
    assert mail.outbox[0].bcc == []


def test_the_pending_invitation_is_listed(site, owner):
    invite(site, owner, email="guest@example.com", role=Role.EDITOR)

    response = as_user(owner).get(URL)

    html = response.content.decode()
    assert "guest@example.com" in html
    assert "Withdraw" in html


def test_invitation_tokens_are_long_and_distinct(site, owner):
    first = invite(site, owner, email="a@example.com")
    second = invite(site, owner, email="b@example.com")

    assert len(first.token) >= 40
    assert first.token != second.token


def test_a_second_pending_invitation_to_the_same_address_is_refused(site, owner):
    invite(site, owner, email="guest@example.com")

    response = as_user(owner).post("/dashboard/demo/people/invite/",
                                   {"email": "GUEST@example.com", "role": "editor"})

    assert "This address already has a pending invitation." in response.content.decode()
    assert Invitation.objects.count() == 1


def test_an_expired_invitation_does_not_block_a_new_one(site, owner):
    with time_machine.travel(timezone.now() - timezone.timedelta(days=15)):
        invite(site, owner, email="guest@example.com")

    fresh = invite(site, owner, email="guest@example.com")

    assert list(Invitation.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_inviting_someone_who_is_already_a_member_is_refused(site, owner):
    author = member(site, Role.AUTHOR)

    response = as_user(owner).post("/dashboard/demo/people/invite/",
                                   {"email": author.user.email, "role": "editor"})

    assert "already a member" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_malformed_address_is_refused(site, owner):
    response = as_user(owner).post("/dashboard/demo/people/invite/",
                                   {"email": "not-an-address", "role": "editor"})

    assert 'id="id_email_error"' in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_owner_may_invite_an_owner(site, owner):
    assert invite(site, owner, role=Role.OWNER).role == Role.OWNER


def test_an_administrator_is_not_offered_the_owner_role(site):
    admin = member(site, Role.ADMINISTRATOR).user

    response = as_user(admin).get(URL)

    html = response.content.decode()
    invite_form = html[html.index('id="invite-title"'):]
    assert '<option value="administrator"' in invite_form
    assert '<option value="owner"' not in invite_form


def test_an_administrator_cannot_invite_an_owner(site):
    admin = member(site, Role.ADMINISTRATOR).user

    response = as_user(admin).post("/dashboard/demo/people/invite/",
                                   {"email": "boss@example.com", "role": "owner"})

    assert response.status_code == 200
    assert not Invitation.objects.exists()
    with pytest.raises(PermissionDenied):
        invite(site, admin, role=Role.OWNER)


def test_an_invitation_can_be_withdrawn(site, owner):
    invitation = invite(site, owner)

    as_user(owner).post(f"/dashboard/demo/people/invitations/{invitation.pk}/withdraw/")

    assert not Invitation.objects.exists()
    assert as_user(UserFactory()).get(f"/start/invitation/{invitation.token}/").status_code == 404


def test_an_administrator_cannot_withdraw_an_invitation_to_be_owner(site, owner):
    invitation = invite(site, owner, role=Role.OWNER)
    admin = member(site, Role.ADMINISTRATOR).user

    response = as_user(admin).post(
        f"/dashboard/demo/people/invitations/{invitation.pk}/withdraw/")

    assert response.status_code == 403
    assert Invitation.objects.filter(pk=invitation.pk).exists()
    with pytest.raises(PermissionDenied):
        invitation_revoke(site=site, actor=admin, invitation=invitation)


# --- Accepting -------------------------------------------------------------------------


def test_a_signed_out_visitor_sees_who_invited_them_and_how_to_accept(client, site, owner):
    invitation = invite(site, owner, role=Role.EDITOR)
    path = f"/start/invitation/{invitation.token}/"

    response = client.get(path)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Join “Demo Site”" in html
    assert owner.get_display_name() in html
    assert "editor" in html
    assert f'href="/accounts/signup/?next={path}"' in html
    assert f'href="/accounts/login/?next={path}"' in html


def test_accepting_with_any_account_joins_with_the_invited_role(site, owner):
    invitation = invite(site, owner, email="guest@example.com", role=Role.EDITOR)
    someone = UserFactory(email="different@example.com")

    response = as_user(someone).post(f"/start/invitation/{invitation.token}/")

    invitation.refresh_from_db()
    assert response["Location"] == "/dashboard/demo/"
    assert site.role_of(someone) == Role.EDITOR
    assert invitation.accepted_by == someone
    assert invitation.accepted_at is not None


def test_accepting_needs_a_post(site, owner):
    invitation = invite(site, owner)
    someone = UserFactory()

    response = as_user(someone).get(f"/start/invitation/{invitation.token}/")

    assert "Accept and join" in response.content.decode()
    assert site.role_of(someone) is None


def test_accepting_needs_a_csrf_token(site, owner):
    invitation = invite(site, owner)
    someone = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(someone)

    response = client.post(f"/start/invitation/{invitation.token}/")

    assert response.status_code == 403
    assert site.role_of(someone) is None


def test_a_new_account_made_from_the_invitation_comes_back_to_accept_it(client, site, owner):
    invitation = invite(site, owner, role=Role.AUTHOR)
    path = f"/start/invitation/{invitation.token}/"
    password = "a long and unusual passphrase"
    client.post(f"/accounts/signup/?next={path}",
                {"email": "newbie@example.com", "password1": password, "password2": password})
    confirm = re.search(r"http://testserver(/accounts/confirm-email/[^/\s]+/)",
                        mail.outbox[-1].body).group(1)

    back = client.post(confirm)
    joined = client.post(path)

    assert back["Location"] == path
    assert joined["Location"] == "/dashboard/demo/"
    assert Membership.objects.filter(site=site, user__email="newbie@example.com",
                                     role=Role.AUTHOR).exists()


def test_an_invitation_works_only_once(site, owner):
    invitation = invite(site, owner)
    as_user(UserFactory()).post(f"/start/invitation/{invitation.token}/")
    latecomer = UserFactory()

    response = as_user(latecomer).post(f"/start/invitation/{invitation.token}/")

    assert response.status_code == 410
    assert "already been accepted" in response.content.decode()
    assert site.role_of(latecomer) is None


def test_an_invitation_expires_after_fourteen_days(site, owner):
    invitation = invite(site, owner)
    someone = UserFactory()

    with time_machine.travel(timezone.now() + timezone.timedelta(days=14, minutes=1)):
        response = as_user(someone).post(f"/start/invitation/{invitation.token}/")

    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert site.role_of(someone) is None


def test_an_invitation_still_works_on_its_last_day(site, owner):
    invitation = invite(site, owner)
    someone = UserFactory()

    with time_machine.travel(timezone.now() + timezone.timedelta(days=13, hours=23)):
        as_user(someone).post(f"/start/invitation/{invitation.token}/")

    assert site.role_of(someone) == Role.AUTHOR


def test_an_unknown_token_is_not_found(client, site):
    assert client.get("/start/invitation/made-up-token/").status_code == 404


def test_a_member_accepting_keeps_their_role(site, owner):
    editor = member(site, Role.EDITOR)
    invitation = invite(site, owner, email="someone@example.com", role=Role.CONTRIBUTOR)

    response = as_user(editor.user).get(f"/start/invitation/{invitation.token}/")
    as_user(editor.user).post(f"/start/invitation/{invitation.token}/")

    editor.refresh_from_db()
    assert "already a member of this site, as Editor" in response.content.decode()
    assert editor.role == Role.EDITOR
    with pytest.raises(ValidationError):
        invitation_accept(invitation=invitation, user=editor.user)


# --- Changing roles --------------------------------------------------------------------


def test_an_owner_changes_a_members_role(site, owner):
    author = member(site, Role.AUTHOR)

    response = as_user(owner).post(f"/dashboard/demo/people/{author.pk}/role/",
                                   {f"m{author.pk}-role": "editor"}, follow=True)

    author.refresh_from_db()
    assert author.role == Role.EDITOR
    assert f"{author.user.get_display_name()} is now editor." in response.content.decode()


def test_an_owner_can_make_someone_an_owner(site, owner):
    admin = member(site, Role.ADMINISTRATOR)

    member_set_role(site=site, actor=owner, membership=admin, role=Role.OWNER)

    assert site.role_of(admin.user) == Role.OWNER


def test_an_administrator_manages_other_administrators(site):
    admin = member(site, Role.ADMINISTRATOR).user
    other_admin = member(site, Role.ADMINISTRATOR)

    as_user(admin).post(f"/dashboard/demo/people/{other_admin.pk}/role/",
                        {f"m{other_admin.pk}-role": "author"})

    other_admin.refresh_from_db()
    assert other_admin.role == Role.AUTHOR


def test_an_administrator_cannot_change_an_owner(site, owner):
    admin = member(site, Role.ADMINISTRATOR).user
    ownership = owner_membership(site)

    response = as_user(admin).post(f"/dashboard/demo/people/{ownership.pk}/role/",
                                   {f"m{ownership.pk}-role": "author"})

    ownership.refresh_from_db()
    assert response.status_code == 403
    assert "Only an owner can change or remove an owner." in response.content.decode()
    assert ownership.role == Role.OWNER


def test_an_administrator_cannot_make_anyone_an_owner(site):
    admin = member(site, Role.ADMINISTRATOR).user
    author = member(site, Role.AUTHOR)

    as_user(admin).post(f"/dashboard/demo/people/{author.pk}/role/",
                        {f"m{author.pk}-role": "owner"})

    author.refresh_from_db()
    assert author.role == Role.AUTHOR
    with pytest.raises(PermissionDenied):
        member_set_role(site=site, actor=admin, membership=author, role=Role.OWNER)


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMINISTRATOR])
def test_nobody_changes_their_own_role(site, role):
    me = member(site, role)

    response = as_user(me.user).post(f"/dashboard/demo/people/{me.pk}/role/",
                                      {f"m{me.pk}-role": "editor"})

    me.refresh_from_db()
    assert response.status_code == 403
    assert me.role == role


def test_ones_own_row_offers_no_role_change(site, owner):
    ownership = owner_membership(site)

    html = as_user(owner).get(URL).content.decode()

    assert f"/dashboard/demo/people/{ownership.pk}/role/" not in html
    assert "Leave site" in html


def test_demoting_the_owner_who_created_the_site_hands_the_site_to_another_owner(site, owner):
    second = member(site, Role.OWNER)

    member_set_role(site=site, actor=second.user, membership=owner_membership(site),
                    role=Role.EDITOR)

    site.refresh_from_db()
    assert site.owner == second.user
    assert site.role_of(owner) == Role.EDITOR


def test_roles_assignable_by_each_role():
    assert roles_assignable_by(Role.OWNER) == [Role.OWNER, Role.ADMINISTRATOR, Role.EDITOR,
                                               Role.AUTHOR, Role.CONTRIBUTOR]
    assert roles_assignable_by(Role.ADMINISTRATOR) == [Role.ADMINISTRATOR, Role.EDITOR,
                                                       Role.AUTHOR, Role.CONTRIBUTOR]
    assert roles_assignable_by(Role.EDITOR) == []
    assert roles_assignable_by(None) == []


# --- Removing --------------------------------------------------------------------------


def test_removing_asks_first(site, owner):
    author = member(site, Role.AUTHOR)

    response = as_user(owner).get(f"/dashboard/demo/people/{author.pk}/remove/")

    assert response.status_code == 200
    assert f"Remove {author.user.get_display_name()}?" in response.content.decode()
    assert Membership.objects.filter(pk=author.pk).exists()


def test_an_owner_removes_a_member(site, owner):
    author = member(site, Role.AUTHOR)

    response = as_user(owner).post(f"/dashboard/demo/people/{author.pk}/remove/")

    assert response["Location"] == URL
    assert not Membership.objects.filter(pk=author.pk).exists()


def test_a_removed_member_can_no_longer_open_the_dashboard(site, owner):
    author = member(site, Role.AUTHOR)
    member_remove(site=site, actor=owner, membership=author)

    assert as_user(author.user).get("/dashboard/demo/").status_code == 403


def test_an_administrator_removes_another_administrator(site):
    admin = member(site, Role.ADMINISTRATOR).user
    other_admin = member(site, Role.ADMINISTRATOR)

    as_user(admin).post(f"/dashboard/demo/people/{other_admin.pk}/remove/")

    assert not Membership.objects.filter(pk=other_admin.pk).exists()


def test_an_administrator_cannot_remove_an_owner(site, owner):
    admin = member(site, Role.ADMINISTRATOR).user
    ownership = owner_membership(site)

    page = as_user(admin).get(f"/dashboard/demo/people/{ownership.pk}/remove/")
    response = as_user(admin).post(f"/dashboard/demo/people/{ownership.pk}/remove/")

    assert page.status_code == response.status_code == 403
    assert Membership.objects.filter(pk=ownership.pk).exists()


def test_the_last_owner_cannot_leave(site, owner):
    ownership = owner_membership(site)

    response = as_user(owner).post(f"/dashboard/demo/people/{ownership.pk}/remove/",
                                   follow=True)

    assert "The site must keep at least one owner." in response.content.decode()
    assert Membership.objects.filter(pk=ownership.pk).exists()


def test_an_owner_may_leave_when_another_owner_remains(site, owner):
    second = member(site, Role.OWNER)

    response = as_user(owner).post(
        f"/dashboard/demo/people/{owner_membership(site).pk}/remove/")

    site.refresh_from_db()
    assert response["Location"] == "/dashboard/"
    assert site.role_of(owner) is None
    assert site.owner == second.user


def test_an_owner_removes_another_owner(site, owner):
    second = member(site, Role.OWNER)

    member_remove(site=site, actor=owner, membership=second)

    assert site.role_of(second.user) is None
