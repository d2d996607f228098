from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "byline.tenancy"
    label = "tenancy"
    verbose_name = "Sites"
