"""The ``govaudit`` command line (contract: docs/contracts.md in the README).

Each verb is a thin function that validates its arguments and hands over to the layer
that does the work.  ``main`` turns every expected failure into one line and an exit code.
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import signal
import sys

from govaudit.core.errors import EXIT_INTERNAL, EXIT_USAGE, GovauditError, internal_error_line

log = logging.getLogger("govaudit")


def parse_date(value: str) -> dt.date:
    """argparse type for --as-of: strict YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise argparse.ArgumentTypeError(f"日期格式错误 / malformed date {value!r}: expected YYYY-MM-DD")


def _number(convert, ok, expected: str):
    """An argparse type: ``convert`` the text, then insist on ``ok`` (one clear line otherwise)."""
    def parse(value: str):
        try:
            number = convert(value)
        except ValueError:
            number = None
        if number is None or not ok(number):
            raise argparse.ArgumentTypeError(f"{expected}, got {value!r}")
        return number
    return parse


positive_int = _number(int, lambda n: n >= 1, "应为正整数 / expected a positive integer")      # ids, caps
positive_float = _number(float, lambda n: n > 0, "应为正数 / expected a positive number")
non_negative_float = _number(float, lambda n: 0 <= n < float("inf"), "应为非负数 / expected a number >= 0")
port_number = _number(int, lambda n: 0 <= n <= 65535, "端口无效 / port must be 0-65535")


class _Parser(argparse.ArgumentParser):
    """argparse prints usage + message; we want one clear line and exit code 2."""

    def error(self, message: str):  # noqa: D401 - argparse API
        raise GovauditError(f"参数错误 / bad arguments: {message}", EXIT_USAGE)


def _add_scan_scope(p: argparse.ArgumentParser) -> None:
    p.add_argument("--unit", help="只检查该单位（名称或站点代码） / restrict to one unit, e.g. 区教体局")
    p.add_argument("--column", help="只检查该栏目（列表页 URL） / restrict to one column URL")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="govaudit", description="政务公开网站检查工具 / audit a government website's 政务公开 content")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress display (scheduled runs)")
    sub = parser.add_subparsers(dest="verb", parser_class=_Parser)

    p = sub.add_parser("demo", help="扫描内置模拟站点并生成报告 / scan the built-in simulated site and write the report")
    p.add_argument("--out", default="output/demo", help="report directory (default output/demo)")
    p.add_argument("--seed", type=int, default=2023)
    p.add_argument("--as-of", type=parse_date, default=None, help="the simulated 'today' (default: today)")
    p.add_argument("--size", default="small")

    p = sub.add_parser("scan", help="抓取、检查并生成报告 / crawl, audit and report")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--profile", help="site profile (YAML)")
    src.add_argument("--start-url", help="start URL (zero configuration)")
    p.add_argument("--db", default=None, help="SQLAlchemy URL or SQLite path (default output/govaudit.db)")
    p.add_argument("--as-of", type=parse_date, default=None, help="'today' for every date rule (default: scan date)")
    p.add_argument("--out", default=None, help="report directory (default output/<site>/<scan id>)")
    again = p.add_mutually_exclusive_group()
    again.add_argument("--resume", action="store_true",
                       help="继续同一站点、同一范围上次中断的检查 / continue the interrupted scan of this site and scope")
    again.add_argument("--fresh", action="store_true",
                       help="有中断的检查时仍重新开始 / start a new scan even if one of this site and scope was "
                            "interrupted")
    p.add_argument("--max-pages", type=positive_int, default=None, help="stop after this many pages (safety cap)")
    p.add_argument("--recheck-all", action="store_true",
                   help="重新请求全部文件，不沿用上次核验结果 / ask for every document again, even those a "
                        "re-scan would copy (crawl.recheck_documents_after_days)")
    _add_scan_scope(p)

    p = sub.add_parser("audit", help="离线重新检查已存快照 / re-run the audits on a stored snapshot")
    p.add_argument("--db", default=None)
    p.add_argument("--scan", type=positive_int, default=None, help="scan id (default: latest complete scan)")
    p.add_argument("--as-of", type=parse_date, default=None)
    p.add_argument("--profile", default=None, help="profile whose audit: section overrides thresholds")
    p.add_argument("--config", default=None, help="YAML with audit threshold overrides")
    p.add_argument("--out", default=None)

    p = sub.add_parser("report", help="生成报告文件 / render the report files for a stored scan")
    p.add_argument("--db", default=None)
    p.add_argument("--scan", type=positive_int, default=None)
    p.add_argument("--compare-to", type=positive_int, default=None, help="earlier scan id for new/fixed/still-open")
    p.add_argument("--out", required=True)

    p = sub.add_parser("sim", help="运行模拟站点 / serve the simulated district site")
    p.add_argument("--port", type=port_number, default=8080)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--seed", type=int, default=2023)
    p.add_argument("--size", default="small", help="small | large | number of documents")
    p.add_argument("--as-of", type=parse_date, default=None)
    p.add_argument("--manifest", default=None, help="write the ground-truth manifest here")
    p.add_argument("--mutation", type=int, default=0, help="content change generation (0 = base site)")
    p.add_argument("--latency-ms", type=non_negative_float, default=0, help="answer every request this late")
    p.add_argument("--traffic", default=None,
                   help="write what the server saw (in flight, requests/s) here (default: traffic.json beside --manifest)")
    p.add_argument("--block", default=None, metavar="SPEC",
                   help="act as a WAF: after=N requests or rps=M per client, mode=403|challenge, hold=SECONDS")

    p = sub.add_parser("inspect", help="查看抓取程序在单个页面读到的内容 / what the crawler reads on one page")
    p.add_argument("target", help="page URL, or a saved HTML file (then give --url)")
    p.add_argument("--url", default=None, help="the URL the saved FILE was fetched from")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--profile", default=None, help="profile whose politeness settings (User-Agent, robots) apply")

    p = sub.add_parser("history", help="列出历次检查 / list past scans")
    p.add_argument("--db", default=None)
    p.add_argument("--site", default=None, help="only scans of this start URL / site name")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("schedule", help="定时检查 / unattended scheduled scans")
    ssub = p.add_subparsers(dest="action", parser_class=_Parser)
    for name, help_ in (
        ("run", "一次完整的定时检查（供 cron/systemd 调用） / one scheduled run"),
        ("daemon", "内置常驻调度器 / built-in long-running scheduler"),
        ("crontab", "生成 crontab 条目 / print (or --install) a crontab entry"),
        ("systemd", "生成 systemd timer / write a systemd service + timer"),
    ):
        sp = ssub.add_parser(name, help=help_)
        sp.add_argument("--profile", default=None)
        sp.add_argument("--start-url", default=None)
        sp.add_argument("--sites", default=None, help="a campaign's sites.yaml: inspect all its sites each run")
        sp.add_argument("--workers", type=positive_int, default=2, help="campaign: sites at once (default 2)")
        sp.add_argument("--broker", default=None, help="campaign: redis://… to run the sites on govaudit workers")
        sp.add_argument("--db", default=None)
        sp.add_argument("--output-root", default="output")
        sp.add_argument("--keep", type=int, default=12, help="snapshots to keep per site (retention)")
        sp.add_argument("--when", default="0 2 1 * *", help="cron expression (default: 02:00 on the 1st)")
        if name in ("crontab", "systemd"):
            sp.add_argument("--install", action="store_true")
            sp.add_argument("--dest", default=None, help="where to write the unit files / crontab")
        if name in ("run", "daemon"):
            sp.add_argument("--as-of", type=parse_date, default=None,
                            help="'today' for the date rules (default: run date)")
            sp.add_argument("--max-pages", type=positive_int, default=None,
                            help="stop each crawl after this many pages")
        if name == "daemon":
            sp.add_argument("--max-runs", type=int, default=None, help="exit after N runs (testing)")
            sp.add_argument("--interval", type=positive_float, default=None,
                            help="run every N seconds instead of --when (testing)")
    _add_campaign_verbs(sub)
    return parser


def _add_campaign_verbs(sub) -> None:
    p = sub.add_parser("campaign", help="多站点检查活动 / inspect many sites in one campaign")
    csub = p.add_subparsers(dest="action", parser_class=_Parser)
    sp = csub.add_parser("run", help="运行（或继续）一次检查活动 / run or resume a campaign")
    sp.add_argument("--sites", help="sites.yaml: sites: [{name, start_url or profile, level, group}]")
    sp.add_argument("--db", default=None, help="SQLAlchemy URL (PostgreSQL for a cluster) or SQLite path")
    sp.add_argument("--out", help="campaign folder: each site's report and the campaign report")
    mode = sp.add_mutually_exclusive_group()
    mode.add_argument("--workers", type=positive_int, default=2, help="sites at once on this machine (default 2)")
    mode.add_argument("--broker", default=None, help="redis://… : one Celery job per site, run by govaudit worker")
    sp.add_argument("--redis", default=None, help="redis://… shared per-host politeness for embedded workers")
    sp.add_argument("--resume", type=positive_int, default=None, metavar="ID", help="finish campaign ID")
    sp.add_argument("--as-of", type=parse_date, default=None)
    sp.add_argument("--max-pages", type=positive_int, default=None, help="stop each site's crawl after N pages")
    sp = csub.add_parser("status", help="各站点进度 / progress per site")
    sp.add_argument("--db", default=None)
    sp.add_argument("id", nargs="?", type=positive_int, default=None, help="campaign id (default: the latest)")
    sp.add_argument("--json", action="store_true")

    p = sub.add_parser("worker", help="检查活动工作进程（Celery） / a Celery worker for campaign jobs")
    p.add_argument("--broker", required=True, help="redis://host:6379/0")
    p.add_argument("--db", default=None, help="the campaign database (PostgreSQL URL)")
    p.add_argument("--concurrency", type=positive_int, default=1, help="worker processes, one site each (default 1)")
    p.add_argument("--max-tasks-per-child", type=positive_int, default=1,
                   help="sites per worker process before it is replaced (default 1: memory stays flat)")
    p.add_argument("--visibility-timeout", type=positive_int, default=None,
                   help="seconds before an unacknowledged job is delivered again (default 6 h)")


def setup_logging(verbose: bool, quiet: bool) -> None:
    """Log levels for ``-v`` (debug) and ``-q`` (warnings and the outcome line only)."""
    level = logging.DEBUG if verbose else logging.INFO
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    # Scrapy is chatty at INFO; our own progress display covers what a user needs.
    for noisy in ("scrapy", "twisted", "filelock", "asyncio", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if verbose else logging.WARNING)
    if quiet and not verbose:
        # -q: stderr gets warnings and the outcome line only; a log file (schedule) still gets INFO.
        for handler in logging.getLogger().handlers:
            handler.setLevel(logging.WARNING)


def warn_future_as_of(args) -> None:
    """A --as-of after today is allowed (a dry run of next month's rules) but almost always a typo:
    say so in one line and carry on."""
    as_of, today = getattr(args, "as_of", None), dt.date.today()
    if args.verb in ("scan", "audit", "demo", "schedule", "campaign") and as_of is not None and as_of > today:
        print(f"govaudit: 注意：统计截止日期 {as_of} 晚于今天 {today}，日期类检查按该日判定 / warning: --as-of {as_of} "
              f"is after today ({today}); the date rules judge as of that future day", file=sys.stderr)


def dispatch(args) -> int:
    # The verbs are imported when they run, not at module level: every verb module pulls in
    # SQLAlchemy, pandas, the audits and (scan, demo, schedule) the crawler; measured with
    # ``python -X importtime`` (2026-12-03, 2-core machine under load), this module loads in
    # 0.04-0.1 s and ``govaudit.workflow`` (Scrapy-free, but pandas, SQLAlchemy, the audits, the
    # report) in 3.5-4.2 s more, which ``--help`` and every argument error would otherwise pay
    # before printing one line.
    verb = args.verb
    if verb == "sim":
        # lazy: start-up time, measured (see above)
        from sitesim.cli import run_sim

        return run_sim(args)
    if verb == "scan":
        # lazy: start-up time, measured (see above); govaudit.scan itself holds only the standard
        # library while its crawl runs
        from govaudit.scan import run_scan

        return run_scan(args)
    if verb in ("demo", "audit", "report"):
        # lazy: start-up time, measured (see above)
        from govaudit import workflow

        verbs = {"demo": workflow.run_demo, "audit": workflow.run_audit, "report": workflow.run_report}
        return verbs[verb](args)
    if verb == "inspect":
        # lazy: start-up time, measured (see above)
        from govaudit.inspect import run_inspect

        return run_inspect(args)
    if verb == "history":
        # lazy: start-up time, measured (see above)
        from govaudit.history import run_history

        return run_history(args)
    if verb == "schedule":
        # lazy: start-up time, measured (see above)
        from govaudit.schedule import run_schedule

        return run_schedule(args)
    if verb in ("campaign", "worker"):
        return _campaign(args)
    build_parser().print_help()
    return EXIT_USAGE


def _campaign(args) -> int:
    # lazy: start-up time, measured (see dispatch); Celery and redis add 0.3-0.5 s more.  A
    # worker imports no more than cluster: its job processes are forks of it (campaign/job.py).
    from govaudit.campaign import cluster

    if args.verb == "worker":
        return cluster.run_worker(args)
    # lazy: not in a worker (above)
    from govaudit.campaign import run

    if args.action == "run":
        return run.run_campaign(args)
    if args.action == "status":
        return run.campaign_status(args)
    raise GovauditError("参数错误 / bad arguments: campaign needs one of run, status", EXIT_USAGE)


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        setup_logging(args.verbose, getattr(args, "quiet", False))
        warn_future_as_of(args)
        code = dispatch(args) or 0
    except GovauditError as exc:
        print(f"govaudit: {exc.message}", file=sys.stderr)
        code = exc.code
    except KeyboardInterrupt:
        # Stopping already: a further Ctrl-C must not kill the process on its way out (exit 130).
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        print("govaudit: 已中断 / interrupted", file=sys.stderr)
        code = 130
    except Exception as exc:  # a bug: keep the traceback in a file, show one line
        print(f"govaudit: {internal_error_line(exc)}", file=sys.stderr)
        code = EXIT_INTERNAL
    return code


if __name__ == "__main__":
    sys.exit(main())
