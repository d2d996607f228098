"""`byline seed_demo`: create the demo site ("Field Notes", slug `demo`) once."""

from django.core.management.base import BaseCommand, CommandError

from byline.content.demo import DemoConflict, seed_demo


class Command(BaseCommand):
    help = "Create the demo site and a second small site, unless the demo site exists."

    def handle(self, *args, **options) -> None:
        try:
            seed_demo(stdout=self.stdout)
        except DemoConflict as error:
            raise CommandError(str(error)) from error
