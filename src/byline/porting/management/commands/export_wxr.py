"""`byline export_wxr --site SLUG -o FILE [--format wxr|markdown]`: move a site out."""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from byline.porting.export import site_base_url, write_markdown_archive, write_wxr
from byline.tenancy.models import Site


class Command(BaseCommand):
    help = ("Export a site as a WordPress eXtended RSS file (WXR 1.2, which WordPress's "
            "importer reads) or as a zip of Markdown files with the media.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--site", required=True, help="The site's slug.")
        parser.add_argument("-o", "--output", required=True,
                            help="The file to write (replaced if it exists).")
        parser.add_argument("--format", choices=("wxr", "markdown"), default="wxr",
                            help="wxr (default) or markdown (a zip archive).")
        parser.add_argument("--base-url", default="",
                            help="The address links in the file start with (default: the "
                                 "site's primary domain, else SLUG.BYLINE_BASE_DOMAIN).")

    def handle(self, *args, **options) -> None:
        site = Site.objects.filter(slug=options["site"]).first()
        if site is None:
            raise CommandError(f"No site with the slug {options['site']!r}.")
        base_url = options["base_url"].rstrip("/") or site_base_url(site)
        target = Path(options["output"])
        if target.is_dir():
            raise CommandError(f"{target} is a folder; give a file name.")
        if not target.parent.is_dir():
            raise CommandError(f"The folder {target.parent} does not exist.")
        # Write beside the target and move it into place at the end: an interrupted
        # export never leaves a half-written file under the name asked for.
        fd, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                       suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out:
                if options["format"] == "markdown":
                    counts = write_markdown_archive(site=site, out=out, base_url=base_url)
                else:
                    counts = write_wxr(site=site, out=out, base_url=base_url)
            os.chmod(partial, 0o644)
            os.replace(partial, target)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        label = "Markdown archive" if options["format"] == "markdown" else "WXR"
        self.stdout.write(f"Exported {site.slug} to {target} ({label}): {counts.summary()}.")
