"""Output layout of scheduled runs: month directories, the `latest` pointer, pruning."""
from __future__ import annotations

import json
import os

from govaudit.schedule import layout
from govaudit.schedule.run import _redacted


def _month(site_dir, name, scan_id, text="report"):
    d = site_dir / name
    d.mkdir(parents=True)
    (d / "report.html").write_text(f"{text} {scan_id}", encoding="utf-8")
    (d / layout.RUN_INFO).write_text(json.dumps({"scan_id": scan_id}), encoding="utf-8")
    return d


def test_latest_is_a_relative_symlink_swapped_atomically(tmp_path):
    _month(tmp_path, "2023-10", 1)
    _month(tmp_path, "2023-11", 2)
    layout.point_latest(tmp_path, "2023-10")
    layout.point_latest(tmp_path, "2023-11")
    latest = tmp_path / "latest"
    assert latest.is_symlink() and os.readlink(latest) == "2023-11"
    assert (latest / "report.html").read_text() == "report 2"
    # relative: the whole tree can be moved or served from elsewhere
    moved = tmp_path.parent / (tmp_path.name + "-moved")
    tmp_path.rename(moved)
    assert (moved / "latest" / "report.html").read_text() == "report 2"


def test_latest_is_a_copy_where_symlinks_are_unavailable(tmp_path, monkeypatch):
    _month(tmp_path, "2023-10", 1)
    _month(tmp_path, "2023-11", 2)

    def no_symlinks(*_args, **_kwargs):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "symlink", no_symlinks)
    layout.point_latest(tmp_path, "2023-10")
    layout.point_latest(tmp_path, "2023-11")  # replaces the earlier copy
    latest = tmp_path / "latest"
    assert latest.is_dir() and not latest.is_symlink()
    assert (latest / "report.html").read_text() == "report 2"
    monkeypatch.undo()
    layout.point_latest(tmp_path, "2023-11")  # and a symlink can take the copy's place later
    assert latest.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2023-10", "2023-11", "latest"]


def test_publish_replaces_a_month_only_with_a_complete_report(tmp_path):
    _month(tmp_path, "2023-11", 1, text="first")
    staging = _month(tmp_path, ".2023-11.partial-1", 2, text="second")
    layout.publish(staging, tmp_path / "2023-11")
    assert (tmp_path / "2023-11" / "report.html").read_text() == "second 2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2023-11"]


def test_prune_removes_only_directories_of_deleted_scans(tmp_path):
    _month(tmp_path, "2023-09", 1)
    _month(tmp_path, "2023-10", 2)
    _month(tmp_path, "2023-11", 3)
    (tmp_path / "2023-08").mkdir()  # no run.json: not ours, stays
    (tmp_path / "notes").mkdir()
    layout.point_latest(tmp_path, "2023-11")
    removed = layout.prune_month_dirs(tmp_path, [1, 2])
    assert sorted(p.name for p in removed) == ["2023-09", "2023-10"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2023-08", "2023-11", "latest", "notes"]


def test_leftover_staging_of_a_killed_run_is_cleaned(tmp_path):
    _month(tmp_path, ".2023-11.partial-4242", 9)
    _month(tmp_path, "2023-10", 1)
    layout.clean_staging(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2023-10"]


def test_database_password_is_not_written_to_run_json():
    assert _redacted("postgresql://ops:s3cret@db/govaudit") == "postgresql://ops:***@db/govaudit"
    assert _redacted("sqlite:////srv/govaudit/govaudit.db") == "sqlite:////srv/govaudit/govaudit.db"
