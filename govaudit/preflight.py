"""The checks made before a scan's crawl, and its scan row, in a short-lived process.

``govaudit scan`` checks its profile, URLs, database and report folder before an hour of
crawling (one line and an exit code for each fault), then waits on the crawl.  The checks need
SQLAlchemy, jsonschema and the audits' settings: about 30 MB that the waiting process would hold
beside the crawl's processes for the whole crawl (measured 2026-12-06).  So they run here, in
``python -m govaudit.preflight``, which reads one request (JSON) on stdin and answers one line of
JSON on stdout: the crawl child's configuration and the loaded profile, or the error.
"""
from __future__ import annotations

import sys
from pathlib import Path

from crawler.runner import check_scan_arguments, prepare_crawl, resumable_scan
from govaudit import oneshot
from govaudit.cli import setup_logging
from govaudit.core import clock, storage
from govaudit.core.errors import EXIT_USAGE, GovauditError
from govaudit.core.locking import ensure_db_writable, ensure_dir_writable
from govaudit.workflow import load_profile


def prepare_scan(request: dict) -> dict:
    """Check a ``govaudit scan`` request and create its scan row: ``{"config", "profile"}``, where
    ``config`` is the crawl child's configuration (``crawler.runner.prepare_crawl``)."""
    profile = load_profile(request.get("profile"))
    start_url = request.get("start_url")
    start_urls = [start_url] if start_url is not None else list(profile["start_urls"])
    unit, column = request.get("unit"), request.get("column")
    urls = check_scan_arguments(start_urls, column, profile)     # before creating anything
    engine = storage.connect(request.get("db"))
    try:
        ensure_db_writable(engine)  # fail now, not after the crawl
        if request.get("out"):
            ensure_dir_writable(Path(request["out"]))
        check_interrupted(engine, urls[0], unit, column, resume=bool(request.get("resume")),
                          fresh=bool(request.get("fresh")))
    finally:
        engine.dispose()
    settings = {"GOVAUDIT_RECHECK_DOCUMENTS_AFTER_DAYS": 0} if request.get("recheck_all") else None
    config = prepare_crawl(storage.db_url(request.get("db")), start_urls, profile=profile, unit=unit,
                           column=column, resume=bool(request.get("resume")), quiet=bool(request.get("quiet")),
                           max_pages=request.get("max_pages"), settings=settings,
                           owner_pid=request.get("owner_pid"))
    return {"config": config, "profile": profile}


def check_interrupted(engine, start_url: str, unit: str | None, column: str | None, resume: bool,
                      fresh: bool) -> None:
    """The same command again after an interruption: say that the interrupted scan exists and
    let the user choose (``--resume`` continues it, ``--fresh`` starts anew) instead of silently
    crawling everything a second time.  ``--resume`` with nothing to resume says so and starts."""
    found = resumable_scan(engine, start_url, unit, column)
    interrupted = found is not None and found["status"] in ("interrupted", "blocked")
    if interrupted and not (resume or fresh):
        started = clock.local(found["started_at"], seconds=False)
        blocked = found["status"] == "blocked"
        how, how_en = ("被网站拦截", "was blocked by the site") if blocked else ("已中断", "was interrupted")
        raise GovauditError(f"同一站点、同一范围的检查 {found['id']}（{started} 开始）{how}，未完成：加 --resume 继续该次检查，"
                            f"或加 --fresh 重新开始 / scan {found['id']} of this site and scope {how_en}: "
                            f"add --resume to continue it, or --fresh to start a new scan", EXIT_USAGE)
    if resume and found is None:
        print("govaudit: 没有可继续的中断检查，开始新的检查 / no interrupted scan of this site and scope: "
              "starting a new scan", file=sys.stderr)


def _logging(request: dict) -> None:
    setup_logging(bool(request.get("verbose")), bool(request.get("log_quiet")))     # as the CLI's -v and -q


def main() -> int:
    return oneshot.serve(prepare_scan, _logging)


if __name__ == "__main__":
    sys.exit(main())
