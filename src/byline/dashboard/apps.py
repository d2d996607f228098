from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "byline.dashboard"
    label = "dashboard"
