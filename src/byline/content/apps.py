from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "byline.content"
    label = "content"
