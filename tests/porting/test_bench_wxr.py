"""`bench/wxr_import.py` measures what it says: a generated export, imported whole into a
fresh database in a child process. (No timing assertions: speed is `make bench`'s.)"""

from bench import wxr_import


def test_the_import_benchmark_imports_everything_it_times(tmp_path, monkeypatch):
    monkeypatch.setattr(wxr_import, "SIZES", [(15, 40)])
    [result] = wxr_import.run(tmp_path)
    assert (result["posts"], result["comments"]) == (15, 40)
    assert result["seconds"] > 0 and result["posts_per_s"] > 0
    assert result["peak_rss_mb"] >= result["rss_before_mb"] > 0
    rows = wxr_import.table([result])
    assert rows[1][0] == "15 posts, 40 comments"
