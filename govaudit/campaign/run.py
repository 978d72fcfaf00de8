"""``govaudit campaign run`` and ``govaudit campaign status``."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from govaudit.campaign import store
from govaudit.campaign.cluster import check_broker, enqueue
from govaudit.campaign.embedded import run_embedded
from govaudit.campaign.sites import load_sites
from govaudit.core import clock, storage
from govaudit.core.errors import EXIT_OK, EXIT_USAGE, GovauditError
from govaudit.core.locking import ensure_db_writable, ensure_dir_writable
from govaudit.workflow import today

POLL_SECONDS = 2
STATUS_CN = {"pending": "待检查", "running": "检查中", "complete": "已完成", "failed": "失败", "blocked": "被拦截"}


def run_campaign(args) -> int:
    """Create (or, with --resume, reopen) a campaign, run its unfinished sites, write its report."""
    if args.resume:
        if args.broker:
            check_broker(args.broker)           # before any work
        engine = storage.connect(storage.db_url(args.db), create=False)
        campaign = store.campaign_row(engine, args.resume)
        if campaign is None:
            raise GovauditError(f"检查活动不存在 / no campaign with id {args.resume}", EXIT_USAGE)
        engine.dispose()
        campaign_id = campaign["id"]
    else:
        if not args.sites or not args.out:
            raise GovauditError("参数错误 / bad arguments: campaign run needs --sites and --out (or --resume ID)",
                                EXIT_USAGE)
        campaign_id = create(args.db, args.sites, args.out, args.as_of or today(), args.broker, args.max_pages)
    paths = execute(args.db, campaign_id, args.workers, args.broker, getattr(args, "redis", None))
    print(paths["report.html"])
    return EXIT_OK


def create(db_arg, sites_file: str, out_dir, as_of, broker: str | None, max_pages: int | None) -> int:
    """Check everything (sites file and profiles, broker, database, output folder), then record the campaign."""
    sites = load_sites(sites_file)
    if broker:
        check_broker(broker)
    engine = storage.connect(storage.db_url(db_arg))
    try:
        ensure_db_writable(engine)
        out = ensure_dir_writable(Path(out_dir).expanduser().absolute())
        return store.create_campaign(engine, sites, str(out), as_of.isoformat(), "celery" if broker else "embedded",
                                     {"max_pages": max_pages, "scrapy": {}, "report": sites.get("report") or {}})
    finally:
        engine.dispose()


def execute(db_arg, campaign_id: int, workers: int, broker: str | None, redis_url: str | None = None) -> dict:
    """Run the campaign's unfinished sites (here or on the workers), then write its report."""
    if broker:
        check_broker(broker)
    db = storage.db_url(db_arg)
    engine = storage.connect(db, create=False)
    campaign = store.campaign_row(engine, campaign_id)
    print(f"检查活动 / campaign {campaign_id}: {campaign['name']}", file=sys.stderr)
    rows = store.site_rows(engine, campaign_id)
    todo = [r["id"] for r in rows if r["status"] not in store.TERMINAL]
    names = {r["id"]: r["name"] for r in rows}

    def on_done(site_id: int, status: str) -> None:
        print(f"  {names.get(site_id, site_id)}: {STATUS_CN.get(status, status)}", file=sys.stderr)

    if todo and broker:
        enqueue(broker, todo, campaign_id)
        _wait(engine, campaign_id, on_done)
    elif todo:
        try:
            run_embedded(db, todo, workers, on_done, redis_url=redis_url)
        except KeyboardInterrupt:
            print(f"检查活动 {campaign_id} 已中断：govaudit campaign run --resume {campaign_id} 继续 / campaign "
                  f"{campaign_id} interrupted: continue it with campaign run --resume {campaign_id}", file=sys.stderr)
            raise
    # lazy: the report's libraries (pandas, the audits, XlsxWriter) are 64 MB of RSS, measured
    # 2026-12-05, that this process would hold beside every site's processes while it waits
    from govaudit.campaign.report import write_campaign_report

    paths = write_campaign_report(engine, campaign_id)
    if todo or campaign["status"] != "complete":     # resuming a finished campaign keeps its finish time
        store.close_campaign(engine, campaign_id)
    engine.dispose()
    return paths


def _wait(engine, cid: int, on_done) -> None:
    """Until every site of the campaign is complete, failed or blocked (the workers do the work)."""
    seen: dict[int, str] = {}
    while True:
        rows = store.site_rows(engine, cid)
        for r in rows:
            if r["status"] in store.TERMINAL and seen.get(r["id"]) != r["status"]:
                on_done(r["id"], r["status"])
            seen[r["id"]] = r["status"]
        if all(r["status"] in store.TERMINAL for r in rows):
            return
        time.sleep(POLL_SECONDS)


def campaign_status(args) -> int:
    engine = storage.connect(args.db, create=False)
    campaign = store.campaign_row(engine, args.id)
    if campaign is None:
        raise GovauditError("没有检查活动 / no campaign" + (f" with id {args.id}" if args.id else ""), EXIT_USAGE)
    rows = store.site_rows(engine, campaign["id"])
    scan_ids = [r["scan_id"] for r in rows if r["scan_id"]]
    for r in rows:
        if not r["scan_id"] and (r["status"] == "running" or r["attempts"]):     # running, or interrupted
            found = store.campaign_scan(engine, r["id"])
            if found is not None:
                r["scan_id"] = found["id"]
                scan_ids.append(found["id"])
    pages = store.pages_crawled(engine, scan_ids)
    for r in rows:
        r["pages"] = pages.get(r["scan_id"], 0)
        r["stale"] = r["status"] == "running" and store.is_stale(r)
    engine.dispose()
    if args.json:
        keep = ("name", "start_url", "level", "grp", "status", "reason", "scan_id", "pages", "attempts", "worker",
                "stale", "report_dir")
        print(json.dumps({"campaign": campaign["id"], "name": campaign["name"], "status": campaign["status"],
                          "sites": [{k: r[k] for k in keep} for r in rows]}, ensure_ascii=False, indent=2))
        return EXIT_OK
    done = sum(r["status"] in store.TERMINAL for r in rows)
    started = clock.local(campaign["started_at"], seconds=False)
    state = "已结束" if campaign["status"] == "complete" else "进行中"
    print(f"检查活动 {campaign['id']} {campaign['name']}（{started} 开始，{state}）：{done}/{len(rows)} 个站点已结束")
    for r in rows:
        state = STATUS_CN.get(r["status"], r["status"]) + ("（进程已失联，待重新投递）" if r["stale"] else "")
        extra = f"  {r['reason']}" if r["reason"] else ""
        print(f"{r['position']:>3}  {r['name']}  {r['level'] or '-'}  {state}  页面 {r['pages']}  "
              f"尝试 {r['attempts'] or 0}{extra}")
    return EXIT_OK
