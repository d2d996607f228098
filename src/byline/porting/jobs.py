"""Imports started from the dashboard: the uploaded file is kept in private storage (it
holds commenters' addresses and post passwords, so never under MEDIA_ROOT), a task runs
the import, and the progress page reads how far it got.

The import itself is one transaction, so its progress cannot be read from the job's row
until the end; the task writes it to a small file beside the upload instead.

Setting: BYLINE_IMPORT_ROOT (default var/imports). With several machines, it must be
storage that web and worker processes share.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.utils import timezone

from byline.tenancy.models import Site

from .importer import ImportOptions, Scan, WXRError, import_wxr
from .models import ImportJob

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024


def import_root() -> Path:
    return Path(getattr(settings, "BYLINE_IMPORT_ROOT", "") or settings.VAR_DIR / "imports")


def import_storage() -> FileSystemStorage:
    return FileSystemStorage(location=import_root(), file_permissions_mode=0o600,
                             directory_permissions_mode=0o700)


def max_upload_bytes() -> int:
    return int(getattr(settings, "BYLINE_IMPORT_MAX_BYTES", MAX_UPLOAD_BYTES))


@transaction.atomic
def import_job_start(*, site: Site, user, upload, fetch_media: bool = False) -> ImportJob:
    """Keep the uploaded WXR file privately and queue its import (after commit)."""
    from .tasks import run_import_job

    name = import_storage().save(f"{site.pk}/{secrets.token_hex(12)}.xml", upload)
    original = Path(getattr(upload, "name", "") or "export.xml").name[:255]
    job = ImportJob.objects.create(site=site, user=user, file=name, original_name=original,
                                   fetch_media=fetch_media)
    transaction.on_commit(lambda: run_import_job.enqueue(job_id=job.pk))
    return job


def _progress_path(job: ImportJob) -> Path:
    return import_root() / f"{job.site_id}" / f"job-{job.pk}.progress.json"


def write_progress(job: ImportJob, data: dict[str, Any]) -> None:
    path = _progress_path(job)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data))
    os.replace(temporary, path)  # readers see the old file or the new one, never half


def read_progress(job: ImportJob) -> dict[str, Any]:
    """How far a running import got: {"phase", "done", "total"}."""
    if job.is_finished:
        return job.progress
    try:
        return json.loads(_progress_path(job).read_text())
    except (OSError, ValueError):
        return job.progress


def run_job(job: ImportJob) -> None:
    """Run a queued import. Running a finished job again does nothing."""
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, progress={"phase": "checking", "done": 0,
                                                    "total": 0})
    if not claimed:
        return
    job.refresh_from_db()
    storage = import_storage()
    last = [0.0]

    def scanned(scan: Scan) -> None:
        write_progress(job, {"phase": "importing", "done": 0, "total": scan.records})

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.5 or done >= total:
            last[0] = now
            write_progress(job, {"phase": "importing", "done": done, "total": total})

    try:
        summary = import_wxr(site=job.site, file=storage.path(job.file),
                             options=ImportOptions(fetch_media=job.fetch_media, user=job.user),
                             progress=progress, on_scanned=scanned)
    except WXRError as error:
        _finish(job, status=ImportJob.Status.FAILED, error=str(error))
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        _finish(job, status=ImportJob.Status.FAILED,
                error="The import failed unexpectedly; nothing was imported. The error was "
                      "logged for the platform's operators.")
    else:
        _finish(job, status=ImportJob.Status.DONE, summary=summary.to_dict())
    finally:
        # The file holds e-mail and IP addresses and post passwords: keep it no longer.
        storage.delete(job.file)
        _progress_path(job).unlink(missing_ok=True)


def _finish(job: ImportJob, *, status: str, error: str = "",
            summary: dict[str, Any] | None = None) -> None:
    last = read_progress(job)
    job.status, job.error, job.summary = status, error, summary or {}
    job.progress = {"phase": "finished", "done": last.get("total", 0),
                    "total": last.get("total", 0)}
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "summary", "progress", "finished_at"])
