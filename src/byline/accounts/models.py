from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse

from .identicon import avatar_seed


def avatar_path(instance: "User", filename: str) -> str:
    # Never keep the uploader's file name: it is theirs to choose, the path is ours.
    return f"avatars/{instance.pk or 'new'}-{avatar_seed(filename + str(instance.pk))[:12]}.png"


class User(AbstractUser):
    """A person with an account on the platform; they may belong to many sites."""

    display_name = models.CharField(max_length=100, blank=True)
    bio = models.TextField(blank=True, max_length=2000)
    website = models.URLField(blank=True, max_length=200)
    avatar = models.ImageField(upload_to=avatar_path, blank=True)

    def __str__(self) -> str:
        return self.get_display_name()

    def get_display_name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def avatar_url(self) -> str:
        if self.avatar:
            return self.avatar.url
        return reverse("accounts:identicon", args=[avatar_seed(f"user:{self.pk}")])
