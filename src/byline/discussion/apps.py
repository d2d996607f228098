from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "byline.discussion"
    label = "discussion"
