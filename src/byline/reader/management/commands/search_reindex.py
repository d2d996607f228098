"""`byline search_reindex [--site SLUG] [--related]`: rebuild the search index (and, when
asked, the automatic related posts) of one site or of every site."""

from django.core.management.base import BaseCommand, CommandError

from byline.reader.related import recompute_site
from byline.reader.search import reindex_site
from byline.tenancy.models import Site


class Command(BaseCommand):
    help = "Rebuild the search index of one site (--site SLUG) or of all sites."

    def add_arguments(self, parser):
        parser.add_argument("--site", metavar="SLUG", help="Only this site.")
        parser.add_argument("--related", action="store_true",
                            help="Recompute the automatic related posts as well.")

    def handle(self, *args, site=None, related=False, **options):
        sites = Site.objects.order_by("pk")
        if site:
            sites = sites.filter(slug=site)
            if not sites.exists():
                raise CommandError(f"No site with the address {site!r}.")
        for each in sites:
            indexed = reindex_site(each)
            line = f"{each.slug}: {indexed} post{'s' if indexed != 1 else ''} indexed"
            if related:
                done = recompute_site(each)
                line += f", related posts chosen for {done}"
            self.stdout.write(line)
