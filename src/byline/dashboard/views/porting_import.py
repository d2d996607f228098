"""Moving in from WordPress: upload a WXR file, then watch the import and read its
summary. /dashboard/<site>/import/… The work is byline.porting's; this only asks and
shows."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.views.decorators.http import require_http_methods

from byline.porting.jobs import import_job_start, max_upload_bytes, read_progress
from byline.porting.models import ImportJob
from byline.porting.report import summary_rows
from byline.tenancy.models import Site

from ..permissions import site_view

# Owners and administrators: an import writes as every author on the site.
CAPABILITY = "manage_settings"


class ImportForm(forms.Form):
    file = forms.FileField(
        label="WordPress export file",
        help_text="In WordPress: Tools → Export → All content. The .xml file it downloads.")
    fetch_media = forms.BooleanField(
        label="Copy images from the old site", required=False,
        help_text="Download each attachment from the old site (it must still be online). "
                  "Without this, images stay links to the old site.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = max_upload_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                f"This file is {filesizeformat(upload.size)}; the most an import takes is "
                f"{filesizeformat(limit)}. Import it with the byline import_wxr command.")
        if not upload.read(512).lstrip().startswith(b"<"):
            raise forms.ValidationError("This is not an XML file. Choose the .xml file "
                                        "WordPress's Export gave you.")
        upload.seek(0)
        return upload


@site_view(CAPABILITY)
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, site: Site) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = import_job_start(site=site, user=request.user, upload=form.cleaned_data["file"],
                               fetch_media=form.cleaned_data["fetch_media"])
        return redirect("dashboard:import_job", site.slug, job.pk)
    jobs = ImportJob.objects.filter(site=site).select_related("user")[:10]
    response = render(request, "dashboard/porting/import.html",
                      {"site": site, "form": form, "jobs": jobs},
                      status=400 if form.errors else 200)
    response["Cache-Control"] = "no-store"
    return response


@site_view(CAPABILITY)
@require_http_methods(["GET"])
def job(request: HttpRequest, site: Site, job_id: int) -> HttpResponse:
    found = get_object_or_404(ImportJob.objects.filter(site=site), pk=job_id)
    progress = read_progress(found)
    total, done = progress.get("total") or 0, progress.get("done") or 0
    response = render(request, "dashboard/porting/import_job.html", {
        "site": site, "job": found, "progress": progress,
        "percent": int(done * 100 / total) if total else 0,
        "rows": summary_rows(found.summary) if found.summary else [],
    })
    response["Cache-Control"] = "no-store"
    return response
