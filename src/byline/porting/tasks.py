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
