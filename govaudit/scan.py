"""``govaudit scan``: checks, crawl, audit and report, with little held while the crawl runs.

A scan is up to three processes at once while it crawls: this one, the crawl child and the
crawl's attachment reader.  This one only waits, so it holds only the standard library then:

1. ``govaudit.preflight`` checks the request and creates the scan row, in a process of its own
   that has ended before the crawl starts (one line and an exit code for a bad profile, URL,
   database or report folder);
2. ``crawler.child.run_child`` runs the crawl child and relays its progress;
3. then, with the crawl's processes gone, SQLAlchemy, the audits and the report are imported
   (``govaudit.workflow``) to record how the crawl ended, audit the scan and write the report.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from crawler.child import run_child
from govaudit import oneshot


def run_scan(args) -> int:
    prepared = preflight(args)
    config = prepared["config"]
    outcome = run_child(config, config["quiet"])
    # lazy: SQLAlchemy, the audits and the report are imported once the crawl's processes are
    # gone, not held beside them for the whole crawl (module docstring)
    from crawler.runner import finish_crawl
    from govaudit import workflow
    from govaudit.core import storage

    scan_id = finish_crawl(config, outcome)
    engine = storage.connect(config["db"])
    as_of = args.as_of or workflow.today()
    out = Path(args.out) if args.out else workflow.default_out_dir(config["start_urls"][0], scan_id)
    paths = workflow.audit_and_report(engine, scan_id, as_of, out, profile=prepared["profile"],
                                      compare_to=None)
    print(paths["report.html"])
    return workflow.verdict_exit(engine, scan_id)


def preflight(args) -> dict:
    """Run ``govaudit.preflight`` on the scan's arguments: ``{"config", "profile"}``, or its
    error raised here as the one-line ``GovauditError`` it is."""
    request = {
        "profile": args.profile, "start_url": args.start_url, "unit": args.unit, "column": args.column,
        "db": args.db, "out": args.out, "resume": getattr(args, "resume", False),
        "fresh": getattr(args, "fresh", False), "max_pages": getattr(args, "max_pages", None),
        "recheck_all": getattr(args, "recheck_all", False),
        "quiet": bool(args.quiet or not sys.stderr.isatty()),      # the crawl's progress display
        "log_quiet": bool(args.quiet), "verbose": bool(args.verbose),
        "owner_pid": os.getpid(),       # the scan's runner is this process, which outlives the checks
    }
    return oneshot.ask("govaudit.preflight", request, "the checks before the crawl")
