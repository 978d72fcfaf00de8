"""What a scheduled run needs before its crawl, in short-lived processes.

A scheduled run (``run.py``) waits on its site's crawl for up to hours, as ``govaudit scan``
does.  Reading the profile and creating the scan row need PyYAML, jsonschema, SQLAlchemy and
the audits' settings, which the waiting process would hold beside the crawl's processes; a run
that imported them measured 106 MB RSS before its crawl began (2026-12-06).  So they run here,
in ``python -m govaudit.schedule.prepare`` (``govaudit.oneshot``: one JSON request on stdin, one
line of JSON on stdout), in two steps, because the site's lock comes between them: its file is
named after the site, which the profile gives, and the scan row must be made under it.

* ``{"what": "site", "profile", "start_url"}``: ``{"name", "start_urls", "profile"}``, the site's
  directory name (``core.urls.site_slug``) and its loaded profile;
* ``{"what": "crawl", "db", "start_urls", "profile", "max_pages", "owner_pid"}``: the database
  checked writable and the scan row made, with ``owner_pid`` as its runner: ``{"config"}``, the
  crawl child's configuration (``crawler.runner.prepare_crawl``).

Either may answer ``{"error", "code"}``, the one line of a bad profile, URL or database.
"""
from __future__ import annotations

import sys

from crawler.runner import check_scan_arguments, prepare_crawl
from govaudit import oneshot
from govaudit.cli import setup_logging
from govaudit.core import storage
from govaudit.core.errors import EXIT_INTERNAL, GovauditError
from govaudit.core.locking import ensure_db_writable
from govaudit.core.urls import site_slug
from govaudit.workflow import load_profile


def prepare(request: dict) -> dict:
    if request.get("what") == "site":
        return site(request)
    if request.get("what") == "crawl":
        return crawl_config(request)
    raise GovauditError(f"内部错误 / internal error: unknown request {request.get('what')!r}", EXIT_INTERNAL)


def site(request: dict) -> dict:
    profile = load_profile(request.get("profile"))
    start_url = request.get("start_url")
    start_urls = [start_url] if start_url else list(profile["start_urls"])
    check_scan_arguments(start_urls, None, profile)
    return {"name": site_slug(start_urls[0]), "start_urls": start_urls, "profile": profile}


def crawl_config(request: dict) -> dict:
    db = storage.db_url(request.get("db"))
    engine = storage.connect(db)
    try:
        ensure_db_writable(engine)      # fail now, not after the crawl
    finally:
        engine.dispose()
    config = prepare_crawl(db, request["start_urls"], profile=request.get("profile"), quiet=True,
                           max_pages=request.get("max_pages"), owner_pid=request.get("owner_pid"))
    return {"config": config}


def main() -> int:
    # As the CLI's -q: warnings only on stderr; a scheduled run's own log file says the rest.
    return oneshot.serve(prepare, lambda request: setup_logging(False, bool(request.get("quiet", True))))


if __name__ == "__main__":
    sys.exit(main())
