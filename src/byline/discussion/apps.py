from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "byline.discussion"
    label = "discussion"

    def ready(self) -> None:
        from . import signals

        signals.connect()
