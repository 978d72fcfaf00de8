"""Orchestration of scan -> audit -> report, shared by the CLI verbs and the scheduler.

Each stage is owned by its package; this module only wires them together:

* ``crawler.runner.crawl(...)``            crawl into the snapshot DB, returns the scan id
* ``audits.runner.audit_scan(...)``        run every rule, store findings, return the findings.json dict
* ``govaudit.report.write_reports(...)``   write report.html / findings.json / findings.xlsx / 通报.docx
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import sys
from pathlib import Path

from sqlalchemy import select

from govaudit import storage
from govaudit.errors import EXIT_OUTPUT, EXIT_USAGE, GovauditError
from govaudit.locking import ensure_db_writable, ensure_dir_writable

log = logging.getLogger(__name__)


def today() -> dt.date:
    return dt.date.today()


def latest_scan_id(engine, complete_only: bool = True) -> int:
    q = select(storage.scan.c.id).order_by(storage.scan.c.id.desc()).limit(1)
    if complete_only:
        q = q.where(storage.scan.c.status == "complete")
    with engine.connect() as conn:
        row = conn.execute(q).first()
    if row is None:
        raise GovauditError("数据库中没有已完成的检查 / no complete scan in the database", EXIT_USAGE)
    return row[0]


def scan_row(engine, scan_id: int):
    with engine.connect() as conn:
        row = conn.execute(select(storage.scan).where(storage.scan.c.id == scan_id)).mappings().first()
    if row is None:
        raise GovauditError(f"检查记录不存在 / no scan with id {scan_id}", EXIT_USAGE)
    return row


def site_slug(start_url: str) -> str:
    """A file-system friendly name for a site: its host (and port)."""
    host = re.sub(r"^[a-z]+://", "", start_url).split("/")[0]
    return re.sub(r"[^A-Za-z0-9._-]+", "_", host) or "site"


def default_out_dir(start_url: str, scan_id: int) -> Path:
    return Path("output") / site_slug(start_url) / f"scan-{scan_id}"


def load_profile(path: str | None):
    if not path:
        return None
    from audits.runner import check_settings
    from govaudit.profile import load_profile as _load

    profile = _load(path)
    check_settings(profile.get("audit"))      # before an hour of crawling, not after
    return profile


def audit_and_report(engine, scan_id: int, as_of: dt.date, out_dir: Path, profile=None,
                     config_path: str | None = None, compare_to: int | None = None) -> dict:
    """Audit a stored scan and write its report files.  Returns the report paths."""
    from audits.runner import audit_scan
    from govaudit.report import write_reports

    overrides = dict((profile or {}).get("audit") or {})
    if config_path:
        from audits.config import load_overrides

        overrides.update(load_overrides(config_path))
    findings_doc = audit_scan(engine, scan_id, as_of, overrides)
    return write_reports_or_fail(engine, scan_id, Path(out_dir), findings_doc=findings_doc, compare_to=compare_to)


def write_reports_or_fail(engine, scan_id: int, out_dir: Path, findings_doc=None, compare_to=None) -> dict:
    """``write_reports`` with a full disk or an unwritable directory as one line and exit code 6."""
    from govaudit.report import write_reports

    try:
        return write_reports(engine, scan_id, Path(out_dir), findings_doc=findings_doc, compare_to=compare_to)
    except OSError as exc:
        raise GovauditError(f"无法写入报告 / cannot write the report to {out_dir}: {exc.strerror or exc}",
                            EXIT_OUTPUT) from exc


def run_scan(args) -> int:
    from crawler.runner import check_scan_arguments, crawl

    profile = load_profile(args.profile)
    start_urls = [args.start_url] if args.start_url is not None else list(profile["start_urls"])
    urls = check_scan_arguments(start_urls, args.column, profile)     # before creating anything
    engine = storage.connect(args.db)
    ensure_db_writable(engine)  # fail now, not after the crawl
    if args.out:
        ensure_dir_writable(Path(args.out))
    check_interrupted(engine, urls[0], args)
    scan_id = crawl(
        db=storage.db_url(args.db),
        start_urls=start_urls,
        profile=profile,
        unit=args.unit,
        column=args.column,
        resume=getattr(args, "resume", False),
        quiet=args.quiet or not sys.stderr.isatty(),
        max_pages=getattr(args, "max_pages", None),
        settings={"GOVAUDIT_RECHECK_DOCUMENTS_AFTER_DAYS": 0} if getattr(args, "recheck_all", False) else None,
    )
    as_of = args.as_of or today()
    out = Path(args.out) if args.out else default_out_dir(start_urls[0], scan_id)
    paths = audit_and_report(engine, scan_id, as_of, out, profile=profile, compare_to=None)
    print(paths["report.html"])
    return 0


def check_interrupted(engine, start_url: str, args) -> None:
    """The same command again after an interruption: say that the interrupted scan exists and
    let the user choose (``--resume`` continues it, ``--fresh`` starts anew) instead of silently
    crawling everything a second time.  ``--resume`` with nothing to resume says so and starts."""
    from crawler.runner import resumable_scan

    found = resumable_scan(engine, start_url, args.unit, args.column)
    interrupted = found is not None and found["status"] == "interrupted"
    if interrupted and not (getattr(args, "resume", False) or getattr(args, "fresh", False)):
        started = (found["started_at"] or "")[:16].replace("T", " ")
        raise GovauditError(f"同一站点、同一范围的检查 {found['id']}（{started} 开始）已中断，未完成：加 --resume 继续该次检查，"
                            f"或加 --fresh 重新开始 / scan {found['id']} of this site and scope was interrupted: "
                            f"add --resume to continue it, or --fresh to start a new scan", EXIT_USAGE)
    if getattr(args, "resume", False) and found is None:
        print("govaudit: 没有可继续的中断检查，开始新的检查 / no interrupted scan of this site and scope: "
              "starting a new scan", file=sys.stderr)


def run_audit(args) -> int:
    engine = storage.connect(args.db, create=False)
    scan_id = args.scan if args.scan is not None else latest_scan_id(engine)
    row = scan_row(engine, scan_id)
    as_of = args.as_of or today()
    out = Path(args.out) if args.out else default_out_dir(row["start_url"], scan_id)
    profile = load_profile(args.profile)
    paths = audit_and_report(engine, scan_id, as_of, out, profile=profile, config_path=args.config)
    print(paths["report.html"])
    return 0


def run_report(args) -> int:
    engine = storage.connect(args.db, create=False)
    scan_id = args.scan if args.scan is not None else latest_scan_id(engine)
    scan_row(engine, scan_id)
    if args.compare_to is not None:
        scan_row(engine, args.compare_to)
    paths = write_reports_or_fail(engine, scan_id, Path(args.out), findings_doc=None, compare_to=args.compare_to)
    print(paths["report.html"])
    return 0


def run_demo(args) -> int:
    """Serve the simulated site on a free loopback port, scan it, audit it, report.

    The demo crawls its own simulator, so without the politeness meant for real government
    servers (it would only make the demo take minutes); robots.txt, timeouts and size limits
    stay as they are.
    """
    from crawler.runner import crawl
    from crawler.settings import loopback_overrides
    from sitesim.server import start_background

    as_of = args.as_of or today()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    db = str(out / "govaudit.db")
    sim = start_background(seed=args.seed, size=args.size, as_of=as_of)
    try:
        (out / "manifest.json").write_text(sim.manifest_json(), encoding="utf-8")
        engine = storage.connect(db)
        scan_id = crawl(db=storage.db_url(db), start_urls=[sim.url], profile=None, unit=None, column=None,
                        resume=False, quiet=args.quiet or not sys.stderr.isatty(), max_pages=None,
                        settings=loopback_overrides())
        paths = audit_and_report(engine, scan_id, as_of, out)
    finally:
        sim.stop()
    print(paths["report.html"])
    return 0
