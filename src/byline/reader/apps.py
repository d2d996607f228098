from django.apps import AppConfig


class ReaderConfig(AppConfig):
    name = "byline.reader"
    label = "reader"
