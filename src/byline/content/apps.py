from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "byline.content"
    label = "content"

    def ready(self) -> None:
        from . import signals

        signals.connect()
