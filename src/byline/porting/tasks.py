"""Background work for imports. Tasks take ids and load the rows themselves."""

from django_tasks import task

from .models import ImportJob


@task()
def run_import_job(*, job_id: int) -> None:
    """Run a dashboard import. Running it twice does nothing the second time."""
    from .jobs import run_job

    job = ImportJob.objects.select_related("site", "user").filter(pk=job_id).first()
    if job is not None:
        run_job(job)


@task()
def refresh_derived(*, site_id: int) -> None:
    """After an import: rebuild the site's search index and related posts (when those
    features are installed). A task, because on a big site it takes a while."""
    from byline.tenancy.models import Site

    from .importer import refresh_derived as refresh

    site = Site.objects.filter(pk=site_id).first()
    if site is not None:
        refresh(site)
