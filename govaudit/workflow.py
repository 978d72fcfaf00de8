"""Orchestration of scan -> audit -> report, shared by the CLI verbs and the scheduler.

Each stage is owned by its package; this module only wires them together:

* ``crawler.runner.crawl(...)``            crawl into the snapshot DB, returns the scan id
* ``audits.runner.audit_scan(...)``        run every rule, store findings, return findings.json (findings read back lazily)
* ``govaudit.report.write_reports(...)``   write report.html / findings.json / findings.xlsx / 通报.docx
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
import sys
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import select

from audits.config import check_settings, load_overrides
from audits.rules import rule_ids
from audits.tasks import check_rule_ids, read_table
from crawler.runner import crawl
from crawler.settings import loopback_overrides
from govaudit.core import profile as profiles, scans, storage
from govaudit.core.errors import EXIT_OK, EXIT_OUTPUT, EXIT_UNASSESSABLE, GovauditError
from govaudit.core.locking import ensure_db_writable, ensure_dir_writable
from govaudit.core.scans import latest_scan_id, scan_row
from govaudit.core.urls import site_slug

log = logging.getLogger(__name__)


def today() -> dt.date:
    return dt.date.today()


def default_out_dir(start_url: str, scan_id: int) -> Path:
    return Path("output") / site_slug(start_url) / f"scan-{scan_id}"


def load_profile(path: str | None):
    """A site profile, read and checked before an hour of crawling, not after: its schema
    (``govaudit.core.profile``), its audit settings and its own 要点 task tables (``audits``)."""
    if not path:
        return None
    profile = profiles.load_profile(path)
    try:
        check_settings(profile.get("audit"))
    except GovauditError as exc:                  # which file holds the bad setting
        exc.message = f"{exc.message} (in {Path(path).expanduser().absolute()}, section audit:)"
        raise
    known = rule_ids()
    for i, name in enumerate(profile.get("task_tables") or ()):
        try:
            check_rule_ids(read_table(name), known)
        except GovauditError as exc:
            raise profiles.profile_error(str(Path(path).expanduser().absolute()),
                                         f"task_tables[{i}]: {exc.message}") from None
    return profile


def audit_and_report(engine, scan_id: int, as_of: dt.date, out_dir: Path, profile=None,
                     config_path: str | None = None, compare_to: int | None = None) -> dict:
    """Audit a stored scan and write its report files.  Returns the report paths."""
    # lazy: the audits' libraries (pandas, numpy, jieba's tables) are 50 MB of RSS, measured
    # 2026-12-05; a scan imports them after its crawl, not while it waits on the crawl's processes
    from audits.runner import audit_scan

    overrides = dict((profile or {}).get("audit") or {})
    if config_path:
        overrides.update(load_overrides(config_path))
    findings_doc = audit_scan(engine, scan_id, as_of, overrides, task_tables=(profile or {}).get("task_tables"))
    return write_reports_or_fail(engine, scan_id, Path(out_dir), findings_doc=findings_doc, compare_to=compare_to)


def unassessable_reason(engine, scan_id: int) -> str | None:
    """The reason of a stored 无法评价 verdict (None when the scan was judged 合格 or 不合格)."""
    a = storage.audit_summary
    with engine.connect() as conn:
        row = conn.execute(select(a.c.verdict, a.c.detail).where(a.c.scan_id == scan_id)).first()
    if row is None or row.verdict != "无法评价":
        return None
    return ((row.detail or {}).get("verdict") or {}).get("reason") or "检查内容不足"


def verdict_exit(engine, scan_id: int) -> int:
    """Exit code after the report files are written: 8 when the verdict is 无法评价, with its
    reason as one line on stderr (the report states it too)."""
    reason = unassessable_reason(engine, scan_id)
    if reason is None:
        return EXIT_OK
    print(f"无法评价 / the scan cannot be judged: {reason}", file=sys.stderr)
    return EXIT_UNASSESSABLE


def write_reports_or_fail(engine, scan_id: int, out_dir: Path, findings_doc=None, compare_to=None) -> dict:
    """``write_reports`` with a full disk or an unwritable directory as one line and exit code 6."""
    # lazy: the report's libraries (XlsxWriter, python-docx, jinja2) are 16 MB of RSS, measured
    # 2026-12-04; imported after the audit they take memory its frames freed instead of adding
    # to the audit's peak
    from govaudit.report import write_reports

    try:
        return write_reports(engine, scan_id, Path(out_dir), findings_doc=findings_doc, compare_to=compare_to)
    except OSError as exc:
        raise GovauditError(f"无法写入报告 / cannot write the report to {out_dir}: {exc.strerror or exc}",
                            EXIT_OUTPUT) from exc


def run_audit(args) -> int:
    engine = storage.connect(args.db, create=False)
    ensure_db_writable(engine)  # the audit replaces the scan's findings: fail now, in one line
    scan_id = args.scan if args.scan is not None else latest_scan_id(engine)
    row = scan_row(engine, scan_id)
    as_of = args.as_of or today()
    out = Path(args.out) if args.out else default_out_dir(row["start_url"], scan_id)
    ensure_dir_writable(out)    # before the audit replaces the stored findings
    profile = load_profile(args.profile)
    paths = audit_and_report(engine, scan_id, as_of, out, profile=profile, config_path=args.config)
    print(paths["report.html"])
    return verdict_exit(engine, scan_id)


def run_report(args) -> int:
    engine = storage.connect(args.db, create=False)
    scan_id = args.scan if args.scan is not None else latest_scan_id(engine)
    scan_row(engine, scan_id)
    if args.compare_to is not None:
        scan_row(engine, args.compare_to)
    paths = write_reports_or_fail(engine, scan_id, Path(args.out), findings_doc=None, compare_to=args.compare_to)
    print(paths["report.html"])
    return verdict_exit(engine, scan_id)


# A demo folder keeps this many scans of the simulated site: the newest and the one it was
# compared with.  Older ones (and scans of other simulated sites) are deleted after each run.
DEMO_KEEP = 2


def run_demo(args) -> int:
    """Serve the simulated site on a loopback port, scan it, audit it, report.

    The demo crawls its own simulator, so without the politeness meant for real government
    servers (it would only make the demo take minutes); robots.txt, timeouts and size limits
    stay as they are.

    Repeated demos into one folder are re-scans of one site: a site's identity is its start URL,
    and every finding's key (check|url|field) holds the URL with its port, so the simulator is
    served again on the port the folder's previous demo used (read from its manifest.json) when
    that demo simulated the same seed and size.  Only if the port is taken by another program does
    the demo take a free port and say it cannot compare.  After the run, the folder keeps the newest
    ``DEMO_KEEP`` scans and the HTTP cache of that one site, so it does not grow run after run.
    """
    as_of = args.as_of or today()
    out = ensure_dir_writable(Path(args.out))   # exit 6 in one line, before the simulator starts
    db = str(out / "govaudit.db")
    sim = _start_demo_site(args, as_of, _previous_demo_port(out, args.seed, args.size))
    try:
        (out / "manifest.json").write_text(sim.manifest_json(), encoding="utf-8")
        engine = storage.connect(db)
        scan_id = crawl(db=storage.db_url(db), start_urls=[sim.url], profile=None, unit=None, column=None,
                        resume=False, quiet=args.quiet or not sys.stderr.isatty(), max_pages=None,
                        settings=loopback_overrides())
        paths = audit_and_report(engine, scan_id, as_of, out)
    finally:
        sim.stop()
    _prune_demo_folder(engine, out, sim.url)
    print(paths["report.html"])
    code = verdict_exit(engine, scan_id)
    engine.dispose()
    return code


def _previous_demo_port(out: Path, seed: int, size) -> int:
    """The port of the folder's previous demo, if it simulated the same site (else 0: any port)."""
    try:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        same_site = (manifest.get("seed"), str(manifest.get("size"))) == (seed, str(size))
        return (urlsplit(manifest.get("start_url") or "").port or 0) if same_site else 0
    except (OSError, ValueError, AttributeError):
        return 0


def _start_demo_site(args, as_of: dt.date, port: int):
    # lazy: the simulator (with pypdf and cryptography for its files) is 15 MB of RSS, measured
    # 2026-12-03, that every audit and scan worker would otherwise keep; only the demo serves it
    from sitesim.server import start_background

    if port:
        try:
            return start_background(seed=args.seed, size=args.size, as_of=as_of, port=port)
        except OSError as exc:
            log.warning("port %d of the previous demo is in use (%s): this demo takes another port and cannot "
                        "compare with the previous one", port, exc.strerror or exc)
    return start_background(seed=args.seed, size=args.size, as_of=as_of)


def _prune_demo_folder(engine, out: Path, start_url: str) -> None:
    """Keep the newest ``DEMO_KEEP`` complete scans of this simulated site and its HTTP cache;
    delete the other scans of simulated sites (loopback) and give the space back.  Scans of real
    sites stay, should --out name a folder whose database holds them."""
    # lazy: history reads the rules' names (audits.registry); see audit_and_report
    from govaudit import history

    host, slug = urlsplit(start_url).hostname, site_slug(start_url)
    frame = scans.scans_frame(engine)
    mine = frame[(frame["site"] == slug) & (frame["status"] == "complete")]
    kept = set(mine.sort_values("id", ascending=False)["id"].head(DEMO_KEEP))
    simulated = frame["start_url"].map(lambda url: urlsplit(url or "").hostname == host)
    victims = sorted(int(i) for i in frame.loc[simulated, "id"] if i not in kept)
    if victims:
        history.delete_scans(engine, victims)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM")
        log.info("demo: kept scans %s, deleted scans %s", sorted(kept), victims)
    cache = out / "httpcache"
    for stale in (cache.iterdir() if cache.is_dir() else ()):
        if stale.is_dir() and stale.name != slug and stale.name.startswith(f"{host}_"):
            shutil.rmtree(stale, ignore_errors=True)
