"""The editing services behind the dashboard: who may change what, the trash, autosave
and conflicts, restoring revisions and scheduled updates of live posts."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from byline.content.models import Post, Revision, ScheduledUpdate, Status
from byline.content.services import (
    can_edit_post,
    can_publish_post,
    post_autosave,
    post_create,
    post_delete,
    post_restore,
    post_trash,
    post_update,
    post_write,
    posts_bulk_apply,
    revision_restore,
    scheduled_update_cancel,
    scheduled_update_create,
    scheduled_updates_apply_due,
    slug_follows_title,
    tags_from_text,
)
from byline.content.tasks import apply_due_updates
from byline.tenancy.roles import Role
from tests.factories import MembershipFactory, SiteFactory, UserFactory, make_post

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def at_noon(time_machine):
    time_machine.move_to(NOON, tick=False)
    return NOON


def member(site, role):
    return MembershipFactory(site=site, role=role).user


# --- Who may edit and publish ------------------------------------------------------------

# (role, own draft, own published, someone else's draft) -> may edit?
EDIT = [
    (Role.OWNER, True, True, True),
    (Role.ADMINISTRATOR, True, True, True),
    (Role.EDITOR, True, True, True),
    (Role.AUTHOR, True, True, False),
    (Role.CONTRIBUTOR, True, False, False),
]


@pytest.mark.parametrize(("role", "own_draft", "own_live", "others"), EDIT)
def test_a_role_decides_which_posts_its_member_may_edit(site, role, own_draft, own_live,
                                                        others):
    person = site.owner if role == Role.OWNER else member(site, role)
    draft = make_post(site=site, author=person, status="draft")
    live = make_post(site=site, author=person, status="published")
    theirs = make_post(site=site, author=member(site, Role.AUTHOR), status="draft")

    assert (can_edit_post(person, draft), can_edit_post(person, live),
            can_edit_post(person, theirs)) == (own_draft, own_live, others)


@pytest.mark.parametrize(("role", "own", "others"), [
    (Role.OWNER, True, True), (Role.EDITOR, True, True), (Role.AUTHOR, True, False),
    (Role.CONTRIBUTOR, False, False),
])
def test_a_role_decides_which_posts_its_member_may_publish(site, role, own, others):
    person = site.owner if role == Role.OWNER else member(site, role)
    mine = make_post(site=site, author=person, status="draft")
    theirs = make_post(site=site, author=member(site, Role.AUTHOR), status="draft")

    assert (can_publish_post(person, mine), can_publish_post(person, theirs)) == (own, others)


def test_a_stranger_may_neither_edit_nor_publish(site):
    post = make_post(site=site, status="draft")
    stranger = UserFactory()

    assert not can_edit_post(stranger, post)
    assert not can_publish_post(stranger, post)


def test_a_contributor_cannot_publish_through_the_service(site):
    contributor = member(site, Role.CONTRIBUTOR)

    with pytest.raises(PermissionDenied):
        post_create(site=site, author=contributor, title="Mine", status="published",
                    check_role=True)
    assert not Post.objects.filter(title="Mine").exists()


def test_a_contributor_may_save_a_draft_through_the_service(site):
    contributor = member(site, Role.CONTRIBUTOR)

    post = post_create(site=site, author=contributor, title="Mine", check_role=True)

    assert post.status == Status.DRAFT


def test_an_author_cannot_update_someone_elses_post(site):
    post = make_post(site=site, title="The owner's")
    author = member(site, Role.AUTHOR)

    with pytest.raises(PermissionDenied):
        post_update(post=post, editor=author, title="Mine now", check_role=True)
    post.refresh_from_db()
    assert post.title == "The owner's"


def test_a_contributor_cannot_publish_their_own_draft(site):
    contributor = member(site, Role.CONTRIBUTOR)
    post = make_post(site=site, author=contributor, status="draft")

    with pytest.raises(PermissionDenied):
        post_update(post=post, editor=contributor, status="published", check_role=True)
    post.refresh_from_db()
    assert post.status == Status.DRAFT


def test_post_write_refuses_a_featured_image_of_another_site(site):
    from byline.content.models import Media

    foreign = Media.objects.create(site=SiteFactory(), file="x.png", mime_type="image/png")

    with pytest.raises(PermissionDenied):
        post_write(site=site, user=site.owner, post=None, title="Hi", featured_image=foreign)


# --- Slugs, tags ------------------------------------------------------------------------


def test_a_drafts_slug_follows_its_title(site):
    post = make_post(site=site, title="First idea", status="draft")

    post_write(site=site, user=site.owner, post=post, expected_version=1, slug=post.slug,
               title="Better idea")

    post.refresh_from_db()
    assert post.slug == "better-idea"


def test_a_published_posts_slug_stays_when_the_title_changes(site):
    post = make_post(site=site, title="First idea")

    post_write(site=site, user=site.owner, post=post, expected_version=1, slug=post.slug,
               status="published", title="Better idea")

    post.refresh_from_db()
    assert post.slug == "first-idea"


def test_a_slug_edited_by_hand_no_longer_follows_the_title(site):
    post = make_post(site=site, title="First idea", status="draft", slug="my-own")

    assert slug_follows_title(post) is False


def test_a_numbered_slug_still_follows_the_title(site):
    make_post(site=site, title="Same")
    post = make_post(site=site, title="Same", status="draft")

    assert (post.slug, slug_follows_title(post)) == ("same-2", True)


def test_tags_are_read_from_comma_separated_text_once_each(site):
    tags = tags_from_text(site=site, text="garden, Slow food ,garden,, ")

    assert [t.name for t in tags] == ["garden", "Slow food"]


# --- Trash --------------------------------------------------------------------------------


def test_a_trashed_post_is_hidden_from_readers_and_keeps_its_status(site):
    post = make_post(site=site)

    post_trash(post=post, user=site.owner)

    post.refresh_from_db()
    assert post.trashed_at is not None
    assert post.status == Status.PUBLISHED
    assert not Post.objects.for_site(site).published().filter(pk=post.pk).exists()


def test_a_restored_post_is_public_again(site):
    post = make_post(site=site)
    post_trash(post=post, user=site.owner)

    post_restore(post=post, user=site.owner)

    assert Post.objects.for_site(site).published().filter(pk=post.pk).exists()


def test_a_post_must_be_in_the_trash_before_it_is_deleted(site):
    post = make_post(site=site)

    with pytest.raises(ValidationError):
        post_delete(post=post, user=site.owner)
    assert Post.objects.filter(pk=post.pk).exists()


def test_deleting_a_trashed_post_removes_it_and_its_revisions(site):
    post = make_post(site=site)
    post_trash(post=post, user=site.owner)

    post_delete(post=post, user=site.owner)

    assert not Post.objects.filter(pk=post.pk).exists()
    assert not Revision.objects.filter(post_id=post.pk).exists()


def test_an_author_cannot_trash_someone_elses_post(site):
    post = make_post(site=site)

    with pytest.raises(PermissionDenied):
        post_trash(post=post, user=member(site, Role.AUTHOR))
    post.refresh_from_db()
    assert post.trashed_at is None


def test_a_bulk_action_changes_all_or_nothing(site):
    author = member(site, Role.AUTHOR)
    mine = make_post(site=site, author=author, title="Mine")
    theirs = make_post(site=site, title="Theirs")

    with pytest.raises(PermissionDenied):
        posts_bulk_apply(site=site, user=author, action="trash", posts=[mine, theirs])
    assert Post.objects.filter(trashed_at__isnull=False).count() == 0


def test_bulk_publish_publishes_drafts(site, at_noon):
    drafts = [make_post(site=site, title=f"D{i}", status="draft") for i in range(2)]

    count = posts_bulk_apply(site=site, user=site.owner, action="publish", posts=drafts)

    assert count == 2
    assert Post.objects.for_site(site).published().count() == 2


# --- Autosave and conflicts -----------------------------------------------------------------


def test_autosaving_a_draft_saves_the_draft_itself_with_a_new_version(site):
    post = make_post(site=site, status="draft", title="Draft", source="One.")

    result = post_autosave(post=post, editor=site.owner, expected_version=1, title="Draft",
                           source="One. Two.")

    post.refresh_from_db()
    assert (post.source, post.version, result.version, result.conflict) == (
        "One. Two.", 2, 2, False)


def test_autosaving_a_live_post_leaves_what_readers_see_alone(site):
    post = make_post(site=site, title="Live", source="As published.")

    result = post_autosave(post=post, editor=site.owner, expected_version=1, title="Live",
                           source="Half-typed sen")

    post.refresh_from_db()
    assert (post.source, post.version) == ("As published.", 1)
    assert result.revision.kind == Revision.Kind.AUTOSAVE
    assert result.revision.source == "Half-typed sen"


def test_a_run_of_autosaves_keeps_one_revision(site):
    post = make_post(site=site, title="Live")

    for text in ("a", "ab", "abc"):
        post_autosave(post=post, editor=site.owner, expected_version=1, title="Live",
                      source=text)

    autosaves = post.revisions.filter(kind=Revision.Kind.AUTOSAVE)
    assert [r.source for r in autosaves] == ["abc"]


def test_a_stale_autosave_changes_nothing_and_keeps_the_text(site):
    post = make_post(site=site, status="draft", title="Shared", source="Original.")
    post_update(post=post, editor=site.owner, expected_version=1, source="Theirs.")

    result = post_autosave(post=post, editor=site.owner, expected_version=1, title="Shared",
                           source="Mine.")

    post.refresh_from_db()
    assert result.conflict is True
    assert post.source == "Theirs."
    kept = post.revisions.get(kind=Revision.Kind.CONFLICT)
    assert (kept.source, kept.version) == ("Mine.", 1)


def test_a_contributor_cannot_autosave_someone_elses_post(site):
    post = make_post(site=site, status="draft")

    with pytest.raises(PermissionDenied):
        post_autosave(post=post, editor=member(site, Role.CONTRIBUTOR), expected_version=1,
                      title="x", source="y")


# --- Restoring revisions --------------------------------------------------------------------


def test_restoring_a_revision_makes_a_new_version_with_its_words(site):
    post = make_post(site=site, title="One", source="First words.")
    first = post.revisions.get()
    post_update(post=post, editor=site.owner, title="Two", source="Second words.")

    revision_restore(revision=first, editor=site.owner)

    post.refresh_from_db()
    assert (post.title, post.source, post.version) == ("One", "First words.", 3)
    assert post.revisions.first().kind == Revision.Kind.RESTORE


# --- Scheduled updates ----------------------------------------------------------------------


def test_a_scheduled_update_leaves_the_live_post_alone_until_its_time(site, at_noon):
    post = make_post(site=site, title="Live", source="Old.")

    scheduled_update_create(post=post, user=site.owner, title="New", source="New.",
                            apply_at=NOON + timedelta(hours=1))

    post.refresh_from_db()
    assert (post.title, post.source) == ("Live", "Old.")
    assert post.next_update_at == NOON + timedelta(hours=1)


def test_a_scheduled_update_in_the_past_is_refused(site, at_noon):
    post = make_post(site=site)

    with pytest.raises(ValidationError):
        scheduled_update_create(post=post, user=site.owner, title="New", source="New.",
                                apply_at=NOON - timedelta(minutes=1))


def test_a_draft_cannot_have_a_scheduled_update(site, at_noon):
    post = make_post(site=site, status="draft")

    with pytest.raises(ValidationError):
        scheduled_update_create(post=post, user=site.owner, title="New", source="New.",
                                apply_at=NOON + timedelta(hours=1))


def test_a_contributor_cannot_schedule_changes(site, at_noon):
    post = make_post(site=site)

    with pytest.raises(PermissionDenied):
        scheduled_update_create(post=post, user=member(site, Role.CONTRIBUTOR), title="New",
                                source="New.", apply_at=NOON + timedelta(hours=1))


def test_due_updates_are_applied_in_order_once(site, time_machine, at_noon):
    post = make_post(site=site, title="Live", source="v1")
    for hours, text in ((2, "v3"), (1, "v2")):
        scheduled_update_create(post=post, user=site.owner, title="Live", source=text,
                                apply_at=NOON + timedelta(hours=hours))
    time_machine.move_to(NOON + timedelta(hours=3), tick=False)

    assert scheduled_updates_apply_due(post=post) == 2
    assert scheduled_updates_apply_due(post=post) == 0

    post.refresh_from_db()
    assert (post.source, post.next_update_at, post.version) == ("v3", None, 3)
    assert ScheduledUpdate.objects.filter(applied_at__isnull=True).count() == 0


def test_an_update_not_yet_due_is_not_applied(site, time_machine, at_noon):
    post = make_post(site=site, title="Live", source="v1")
    scheduled_update_create(post=post, user=site.owner, title="Live", source="v2",
                            apply_at=NOON + timedelta(hours=1))
    time_machine.move_to(NOON + timedelta(minutes=59), tick=False)

    assert scheduled_updates_apply_due(post=post) == 0
    post.refresh_from_db()
    assert post.source == "v1"


def test_cancelling_the_earliest_update_moves_next_update_at_to_the_next(site, at_noon):
    post = make_post(site=site)
    first = scheduled_update_create(post=post, user=site.owner, title="A", source="a",
                                    apply_at=NOON + timedelta(hours=1))
    scheduled_update_create(post=post, user=site.owner, title="B", source="b",
                            apply_at=NOON + timedelta(hours=5))

    scheduled_update_cancel(update=first, user=site.owner)

    post.refresh_from_db()
    assert post.next_update_at == NOON + timedelta(hours=5)


def test_a_save_does_not_forget_a_pending_scheduled_update(site, at_noon):
    post = make_post(site=site)
    stale_copy = Post.objects.get(pk=post.pk)
    scheduled_update_create(post=post, user=site.owner, title="Later", source="later",
                            apply_at=NOON + timedelta(hours=1))

    post_update(post=stale_copy, editor=site.owner, expected_version=1, title="Now")

    post.refresh_from_db()
    assert post.next_update_at == NOON + timedelta(hours=1)


def test_the_task_applies_due_updates_on_every_site_once(time_machine, at_noon):
    posts = [make_post(site=SiteFactory(), title="Live", source="old") for _ in range(2)]
    for post in posts:
        scheduled_update_create(post=post, user=post.site.owner, title="Live", source="new",
                                apply_at=NOON + timedelta(hours=1))
    time_machine.move_to(NOON + timedelta(hours=2), tick=False)

    assert apply_due_updates.call() == 2
    assert apply_due_updates.call() == 0
    assert [Post.objects.get(pk=p.pk).source for p in posts] == ["new", "new"]
    assert Revision.objects.filter(post__in=posts, source="new").count() == 2


def test_scheduling_a_change_queues_the_task_for_its_time(django_capture_on_commit_callbacks,
                                                         at_noon):
    from django.test import override_settings
    from django_tasks import default_task_backend

    post = make_post(site=SiteFactory(), source="old")
    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy):
        with django_capture_on_commit_callbacks(execute=True):
            scheduled_update_create(post=post, user=post.site.owner, title="T", source="new",
                                    apply_at=NOON + timedelta(hours=3))
        queued = list(default_task_backend.results)

    assert [(r.task.name, r.task.run_after) for r in queued] == [
        ("apply_due_updates", NOON + timedelta(hours=3))]


def test_the_task_can_be_enqueued_like_any_task(time_machine, at_noon):
    post = make_post(site=SiteFactory(), source="old")
    scheduled_update_create(post=post, user=post.site.owner, title="T", source="new",
                            apply_at=NOON + timedelta(minutes=5))
    time_machine.move_to(NOON + timedelta(minutes=6), tick=False)

    result = apply_due_updates.enqueue()

    assert result.return_value == 1
    post.refresh_from_db()
    assert post.source == "new"

