"""factory_boy factories: the rows most tests start from."""

import factory
from django.utils import timezone

from byline.accounts.models import User
from byline.content import services as content_services
from byline.content.models import Category, Post, Tag
from byline.tenancy.models import Membership, Site
from byline.tenancy.roles import Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    display_name = factory.Faker("name")
    bio = "Writes about small things, slowly."
    password = factory.django.Password("correct horse battery staple")


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"site{n}")
    title = factory.Sequence(lambda n: f"Site number {n}")
    tagline = "Notes from somewhere"
    owner = factory.SubFactory(UserFactory)

    @factory.post_generation
    def owner_membership(self, create, extracted, **kwargs):
        if create:
            Membership.objects.get_or_create(site=self, user=self.owner,
                                             defaults={"role": Role.OWNER})


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    site = factory.SubFactory(SiteFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.AUTHOR


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    site = factory.SubFactory(SiteFactory)
    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    site = factory.SubFactory(SiteFactory)
    name = factory.Sequence(lambda n: f"tag{n}")
    slug = factory.Sequence(lambda n: f"tag{n}")


def make_post(*, site: Site, author=None, title: str = "Hello world", source: str = "Hello.",
              status: str = "published", published_at=None, kind: str = "post", **extra) -> Post:
    """A post created through the same service the dashboard and importer use."""
    if author is None:
        author = site.owner
    if status in ("published", "private") and published_at is None:
        published_at = timezone.now() - timezone.timedelta(hours=1)
    return content_services.post_create(site=site, author=author, title=title, source=source,
                                        status=status, published_at=published_at, kind=kind,
                                        **extra)
