from django.apps import AppConfig


class ReaderConfig(AppConfig):
    name = "byline.reader"
    label = "reader"

    def ready(self) -> None:
        from byline.tenancy.signals import content_changed

        from . import pagecache, signals

        signals.connect()
        content_changed.connect(pagecache.on_content_changed, dispatch_uid="pagecache-purge")
