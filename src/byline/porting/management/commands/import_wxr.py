"""`byline import_wxr FILE --site SLUG`: move a WordPress site in."""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from byline.porting.importer import ImportOptions, WXRError, import_wxr, scan_wxr
from byline.porting.report import summary_text
from byline.tenancy.models import Site
from byline.tenancy.services import site_create


class _Progress:
    """A plain-text progress bar on stderr, redrawn at most ten times a second."""

    def __init__(self, stream, enabled: bool):
        self.stream, self.enabled, self.last = stream, enabled, 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.last < 0.1 and done < total):
            return
        self.last = now
        share = done / total if total else 1
        bar = "#" * int(share * 30)
        self.stream.write(f"\rImporting [{bar:<30}] {share:4.0%} {done}/{total}",
                          ending="\n" if done >= total else "")
        self.stream.flush()


class Command(BaseCommand):
    help = "Import a WordPress export (WXR file) into a site."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the WXR file (Tools → Export in WordPress)")
        parser.add_argument("--site", required=True, help="the site's slug")
        parser.add_argument("--create", action="store_true",
                            help="create the site if it does not exist")
        parser.add_argument("--owner", default="",
                            help="with --create: the new site's owner (username or e-mail; "
                                 "default: the first superuser)")
        parser.add_argument("--author-map", action="append", default=[], metavar="OLD=USER",
                            help="credit the WordPress author OLD (login or e-mail) to the "
                                 "existing user USER (username or e-mail); repeatable")
        parser.add_argument("--fetch-media", action="store_true",
                            help="download attachments from the old site (through the "
                                 "SSRF-safe fetcher); otherwise they stay remote links")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options) -> None:
        author_map = {}
        for pair in options["author_map"]:
            old, sep, new = pair.partition("=")
            if not sep or not old.strip() or not new.strip():
                raise CommandError(f"--author-map takes OLD=USER, not “{pair}”.")
            author_map[old.strip()] = new.strip()
        path = options["file"]
        try:
            open(path, "rb").close()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        site = Site.objects.filter(slug=options["site"]).first()
        if site is None:
            if not options["create"]:
                raise CommandError(f"No site “{options['site']}” (add --create to create it).")
            site = self.create_site(path, options["site"], options["owner"])
        progress = _Progress(self.stderr, enabled=not options["no_progress"])
        try:
            summary = import_wxr(
                site=site, file=path, progress=progress,
                options=ImportOptions(fetch_media=options["fetch_media"],
                                      author_map=author_map))
        except WXRError as error:
            raise CommandError(f"{path}: {error}") from None
        self.stdout.write(f"Imported {path} into “{site.title}” ({site.slug}) from "
                          f"{summary.source} (WXR {summary.wxr_version or '?'}).\n")
        self.stdout.write(summary_text(summary.to_dict()))

    def create_site(self, path: str, slug: str, owner_name: str) -> Site:
        User = get_user_model()
        if owner_name:
            owner = (User.objects.filter(username=owner_name).first()
                     or User.objects.filter(email__iexact=owner_name).first())
        else:
            owner = User.objects.filter(is_superuser=True).order_by("pk").first()
        if owner is None:
            raise CommandError("Who owns the new site? Give --owner USERNAME "
                               "(or create a superuser first).")
        try:
            title = scan_wxr(path).channel.title or slug
        except WXRError as error:
            raise CommandError(f"{path}: {error}") from None
        from django.core.exceptions import ValidationError

        try:
            return site_create(owner=owner, slug=slug, title=title[:200])
        except ValidationError as error:
            raise CommandError(f"Cannot create site “{slug}”: {'; '.join(error.messages)}") \
                from None
