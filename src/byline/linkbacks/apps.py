from django.apps import AppConfig


class LinkbacksConfig(AppConfig):
    name = "byline.linkbacks"
    label = "linkbacks"
