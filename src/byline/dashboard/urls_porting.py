"""Moving in and out: /dashboard/<site>/import/…"""

from django.urls import path

from .views import porting_export, porting_import

urlpatterns = [
    path("import/", porting_import.start, name="import"),
    path("import/<int:job_id>/", porting_import.job, name="import_job"),
    path("export/", porting_export.export, name="export"),
    path("export/wxr/", porting_export.export_wxr, name="export_wxr"),
    path("export/markdown/", porting_export.export_markdown, name="export_markdown"),
]
