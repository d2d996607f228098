"""After an import, search and related posts are rebuilt by a task, when installed."""

import types

import pytest

from byline.porting import importer
from byline.porting.tasks import refresh_derived

pytestmark = pytest.mark.django_db


def test_the_hooks_that_exist_are_called_with_the_site(site, monkeypatch):
    called = []
    search = types.SimpleNamespace(reindex_site=lambda s: called.append(("search", s)))

    def import_module(name):
        if name == "byline.reader.search":
            return search
        raise ImportError(name)

    monkeypatch.setattr(importer.importlib, "import_module", import_module)
    refresh_derived.call(site_id=site.pk)
    assert called == [("search", site)]


def test_a_failing_hook_does_not_fail_the_task(site, monkeypatch):
    def broken(s):
        raise RuntimeError("boom")

    monkeypatch.setattr(importer.importlib, "import_module",
                        lambda name: types.SimpleNamespace(reindex_site=broken,
                                                           recompute_site=broken))
    refresh_derived.call(site_id=site.pk)  # logged, not raised
