"""Campaigns (``govaudit campaign run | status``, ``govaudit worker``): bad input, and one
campaign on the cluster: 3 simulated sites plus a site that is down, 2 Celery workers, the test
Redis and the test PostgreSQL.  The kill -9, shared-host and embedded runs are in
test_campaign_faults.py."""
from __future__ import annotations

import datetime as dt
import json
import re
import time
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from audits.runner import CST
from govaudit.campaign import store
from govaudit.campaign.report import campaign_title, problems_chart, write_campaign_report
from govaudit.core import storage
from govaudit.report.html import environment
from sitesim.server import start_background
from sitesim.traffic import BlockRule
from tests.conftest import AS_OF

from .campaign_helpers import Workers, redis_url, write_sites
from .helpers import assert_one_line_error, run_cli


def test_bad_sites_file_broker_and_database_are_one_line_before_any_work(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("sites:\n  - {start_url: 'http://127.0.0.1:9/'}\n", encoding="utf-8")
    result = run_cli("campaign", "run", "--sites", bad, "--db", tmp_path / "c.db", "--out", tmp_path / "out")
    assert_one_line_error(result, 3, "sites[0]", "missing name")
    good = write_sites(tmp_path / "s", [("甲区", "http://127.0.0.1:9/", "区县")])
    result = run_cli("campaign", "run", "--sites", good, "--db", tmp_path / "c.db", "--out", tmp_path / "out",
                     "--broker", "redis://127.0.0.1:9/0")
    assert_one_line_error(result, 9, "broker")
    result = run_cli("worker", "--broker", "redis://127.0.0.1:9/0", "--db", tmp_path / "c.db")
    assert_one_line_error(result, 9, "broker")
    result = run_cli("campaign", "run", "--sites", good, "--db", "postgresql://nobody@127.0.0.1:9/none",
                     "--out", tmp_path / "out")
    assert_one_line_error(result, 5, "database")
    assert not (tmp_path / "out").exists() and not (tmp_path / "c.db").exists()
    result = run_cli("campaign", "status", "--db", tmp_path / "none.db")
    assert_one_line_error(result, 5, "database")


@pytest.mark.postgres
@pytest.mark.redis
def test_cluster_campaign_runs_every_site_once_and_reports(small_sim, pg_url, tmp_path):
    broker = redis_url()
    blocked = start_background(seed=5, size="small", as_of=AS_OF, block=BlockRule(after=1, mode="403"))
    other = start_background(seed=7, size="small", as_of=AS_OF)
    try:
        sites = write_sites(tmp_path / "conf", [
            ("甲区", small_sim.url, "区县"), ("乙区", other.url, "区县"), ("丙区", blocked.url, "区县"),
            ("丁局", "http://127.0.0.1:9/", "部门")])
        out = tmp_path / "campaign"
        with Workers(broker, pg_url, tmp_path, count=2):
            result = run_cli("campaign", "run", "--sites", sites, "--broker", broker, "--db", pg_url, "--out", out,
                             "--as-of", AS_OF, "--max-pages", 60, timeout=600)
        assert result.returncode == 0, result.stderr[-3000:]
        assert result.stdout.strip() == str(out / "report.html")
        status = json.loads(run_cli("campaign", "status", "--db", pg_url, "--json").stdout)
    finally:
        blocked.stop()
        other.stop()
    by_name = {s["name"]: s for s in status["sites"]}
    assert {n: s["status"] for n, s in by_name.items()} == {
        "甲区": "complete", "乙区": "complete", "丙区": "blocked", "丁局": "failed"}
    assert "HTTP 403" in by_name["丙区"]["reason"] and "unreachable" in by_name["丁局"]["reason"]
    engine = storage.connect(pg_url, create=False)
    with engine.connect() as conn:
        scans = conn.execute(select(storage.scan.c.campaign_id, storage.scan.c.campaign_site_id,
                                    storage.scan.c.start_url)).all()
    engine.dispose()
    # one scan per site that answered (the down site's too: it failed at its start page), all under the campaign
    assert {s.campaign_id for s in scans} == {status["campaign"]}
    assert len({s.campaign_site_id for s in scans}) == len(scans)
    for name in ("甲区", "乙区"):
        assert by_name[name]["attempts"] == 1
        assert (out / by_name[name]["report_dir"].split("/")[-1] / "report.html").exists()
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "各网站检查结果排名" in html and "<svg" in html and "访问被拦截" in html
    assert 'href="001-%E7%94%B2%E5%8C%BA/report.html"' in html
    book = openpyxl.load_workbook(out / "campaign.xlsx")
    assert book.sheetnames == ["排名", "共性问题"]
    assert {row[1] for row in book["排名"].iter_rows(min_row=2, values_only=True)} == {"甲区", "乙区", "丙区", "丁局"}
    text = run_cli("campaign", "status", "--db", pg_url).stdout
    assert "4/4 个站点已结束" in text and "被拦截" in text


def test_scheduled_campaign_has_the_layout_lock_and_retention_of_a_site(tmp_path):
    """``schedule run --sites``: <root>/campaign-<file>/<YYYY-MM>/ with latest, newest --keep kept."""
    sites = write_sites(tmp_path / "conf", [("丁局", "http://127.0.0.1:9/", "部门")])
    root, db = tmp_path / "root", tmp_path / "root" / "govaudit.db"
    for as_of in ("2023-10-31", "2023-11-30"):
        result = run_cli("-q", "schedule", "run", "--sites", sites, "--output-root", root, "--db", db,
                         "--keep", 1, "--as-of", as_of, timeout=300)
        assert result.returncode == 0, result.stderr[-3000:]
    folder = root / "campaign-sites"
    assert result.stdout.strip() == str(folder / "2023-11" / "report.html")
    assert (folder / "latest").resolve() == (folder / "2023-11").resolve()
    assert not (folder / "2023-10").exists()                       # retention: the older campaign is gone
    info = json.loads((folder / "2023-11" / "run.json").read_text(encoding="utf-8"))
    assert info["deleted_campaigns"] == [1]
    status = json.loads(run_cli("campaign", "status", "--db", db, "--json").stdout)
    assert status["campaign"] == 2 and status["sites"][0]["status"] == "failed"
    assert "campaign-sites" in (root / "schedule.log").read_text(encoding="utf-8")


@pytest.mark.parametrize("name, title", [
    # The documented example (docs/operations.md §7): it read "关于2026年12月2024年第一季度区县政府网站检查
    # 政务公开检查情况的通报", a period twice and 检查 twice.
    ("2024年第一季度区县政府网站检查", "关于2024年第一季度区县政府网站检查情况的通报"),
    ("济南市区县政府网站", "关于2026年12月济南市区县政府网站政务公开检查情况的通报"),
    ("区县网站季度检查", "关于2026年12月区县网站季度检查情况的通报"),
])
def test_campaign_report_title_reads_as_a_tongbao_title(name, title):
    assert campaign_title(name, dt.date(2026, 12, 3)) == title


def test_campaign_chart_is_titled_per_site_not_per_unit():
    """The campaign's chart has one bar per site: its title (what a screen reader and a hover say) was
    the site report's 各单位问题数量."""
    table = [{"name": "甲区", "verdict": "不合格", "categories": {"空白栏目": 3}},
             {"name": "乙区", "verdict": "合格", "categories": {"不可用链接": 1}}]
    template = environment().from_string('{% from "_charts.html.j2" import unit_bars %}'
                                         '{{ unit_bars(chart, "各网站问题数量") }}')
    svg = template.render(chart=problems_chart(table))
    assert "<title id=\"chart-units-title\">各网站问题数量</title>" in svg and "各单位" not in svg
    assert "各网站问题数量" in (Path(__file__).parents[2] / "templates" / "campaign.html.j2").read_text(encoding="utf-8")


def test_campaign_report_time_is_the_sites_reports_beijing_time(tmp_path, monkeypatch):
    """Each site's report is stamped in Beijing time (audits.runner.now_cst); the campaign report that
    links them was stamped in the server's zone, 8 hours apart on a UTC server."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        engine = storage.connect(str(tmp_path / "c.db"))
        sites_doc = {"name": "2024年第一季度区县政府网站检查", "file": str(tmp_path / "sites.yaml"),
                     "sites": [{"name": "甲区", "start_url": "http://127.0.0.1:9/", "profile": None,
                                "level": "区县", "group": "济南市"}]}
        cid = store.create_campaign(engine, sites_doc, str(tmp_path / "out"), "2026-12-03", "embedded", {})
        before = dt.datetime.now(CST)
        paths = write_campaign_report(engine, cid)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    stamp = re.search(r"报告生成：([^<]+)", Path(paths["report.html"]).read_text(encoding="utf-8")).group(1).strip()
    assert stamp in {(before + dt.timedelta(minutes=m)).strftime("%Y-%m-%d %H:%M") for m in (0, 1)}, stamp


def _one_site_campaign(tmp_path):
    db = f"sqlite:///{tmp_path / 'c.db'}"
    engine = storage.connect(db)
    sites_doc = {"name": "测试市区县网站检查", "file": str(tmp_path / "sites.yaml"),
                 "sites": [{"name": "甲区", "start_url": "http://127.0.0.1:9/", "profile": None,
                            "level": "区县", "group": "测试市"}]}
    cid = store.create_campaign(engine, sites_doc, str(tmp_path / "out"), "2026-12-03", "embedded", {})
    return db, engine, store.site_rows(engine, cid)[0]["id"]


def _crawl_ending(engine, status: str, seen: list):
    """A stand-in for the crawl child: it leaves the scan row that the job's preparation made as
    ``status`` and exits normally."""
    from crawler.child import ChildOutcome

    def run_child(config, quiet, on_event=None):
        seen.append((config["scan_id"], config["resume"]))
        with engine.begin() as conn:
            conn.execute(storage.scan.update().where(storage.scan.c.id == config["scan_id"])
                         .values(status=status))
        return ChildOutcome(returncode=0, events=[], interrupted=False, log_path=None)
    return run_child


def test_site_whose_crawl_was_interrupted_is_resumed_not_complete(tmp_path, monkeypatch):
    """Ctrl-C that reaches the crawl child but not the job's process (a campaign started with ``&`` from a
    script ignores SIGINT; the crawl child stops on it) left the scan interrupted: the job audited the
    part it had as the site's result, marked the site 已完成, and ``--resume`` never crawled the rest."""
    from govaudit import workflow
    from govaudit.campaign import job

    db, engine, site_id = _one_site_campaign(tmp_path)
    crawls = []
    monkeypatch.setattr(job, "run_child", _crawl_ending(engine, "interrupted", crawls))
    monkeypatch.setattr(workflow, "audit_and_report",
                        lambda *a, **k: pytest.fail("audited an interrupted scan"))
    with pytest.raises(KeyboardInterrupt):
        job.run_site(db, site_id)
    row = store.site_row(engine, site_id)
    assert row["status"] == "pending" and row["worker"] is None and "--resume" in row["reason"]
    with pytest.raises(KeyboardInterrupt):
        job.run_site(db, site_id)                  # the next job resumes the same scan
    scan_id = store.campaign_scan(engine, site_id)["id"]
    assert crawls == [(scan_id, False), (scan_id, True)]


def test_ctrl_c_during_a_jobs_preparation_stays_an_interruption(tmp_path, monkeypatch):
    # Giving the site back needs the database; one that cannot be opened then must not turn the
    # user's Ctrl-C into a database error (the site, left running by a dead job, is stale).
    from govaudit.campaign import job

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(job, "prepare", interrupted)
    with pytest.raises(KeyboardInterrupt):
        job.run_site(f"sqlite:///{tmp_path / 'gone.db'}", 1)


def test_ctrl_c_of_an_embedded_campaign_starts_no_queued_site(monkeypatch):
    """Ctrl-C at the terminal interrupts the running sites' jobs, but every site had been handed to the
    process pool at once, and the pool's shutdown went on to crawl all sites queued behind them."""
    from concurrent.futures import Future

    from govaudit.campaign import embedded

    started = []

    class Pool:
        def __init__(self, **kw):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def submit(self, fn, db, site_id, redis_url):
            started.append(site_id)
            future = Future()
            if site_id == 1:                       # the first site's job is interrupted, the others run on
                future.set_exception(KeyboardInterrupt())
            return future

    monkeypatch.setattr(embedded, "ProcessPoolExecutor", Pool)
    with pytest.raises(KeyboardInterrupt):
        embedded.run_embedded("sqlite://", [1, 2, 3, 4, 5, 6], 3, lambda *a: None)
    assert started == [1, 2, 3]


@pytest.mark.parametrize("levels, who", [
    (["区县", "区县"], "各县（区）"), (["部门", "区县"], "各县（区）、各有关部门"), ([None], "各有关单位")])
def test_campaign_report_addresses_the_citys_counties_not_a_districts_units(levels, who, tmp_path):
    """A city office's 通报 asked 各单位 (a district's word for its departments and towns) to rectify the
    共性问题 of its counties' sites."""
    from govaudit.campaign.report import addressees

    table = [{"level": level} for level in levels]
    assert addressees(table) == who
    text = (Path(__file__).parents[2] / "templates" / "campaign.html.j2").read_text(encoding="utf-8")
    assert "请各单位" not in text and "请{{ addressees }}对照整改" in text


def test_campaign_workbook_links_each_sites_report(tmp_path):
    """campaign.xlsx's 报告 column held the percent-encoded path as plain text: nothing to click, and
    unreadable (005-%E6%B5%8E…/report.html) for a site named in Chinese."""
    from govaudit.campaign.report import _workbook

    table = [{"rank": 1, "name": "甲区", "level": "区县", "group": "", "status_cn": "已完成", "verdict": "合格",
              "vetoes": [], "score": 95.0, "categories": {}, "total": 0, "change": None, "reason": "",
              "report": "001-%E7%94%B2%E5%8C%BA/report.html"}]
    _workbook(table, [], []).save(tmp_path / "c.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "c.xlsx")["排名"]
    cell = sheet.cell(row=2, column=[c.value for c in sheet[1]].index("报告") + 1)
    assert cell.value == "001-甲区/report.html" and cell.hyperlink.target == "001-%E7%94%B2%E5%8C%BA/report.html"


def test_a_campaign_words_every_sites_report_as_its_own_office(tmp_path, monkeypatch):
    """A city inspects its counties: each site's own 通报 names the city's office (sites.yaml
    ``report``), not the county's; a site profile's own report keys still win, and a wrong key is
    one line before any work."""
    from govaudit import workflow
    from govaudit.campaign import job, run

    (tmp_path / "own.yaml").write_text("start_urls: ['http://127.0.0.1:9/b/']\nreport: {addressee: 乙县各部门：}\n",
                                       encoding="utf-8")
    sites = tmp_path / "sites.yaml"
    sites.write_text("report: {inspector: 测试市政务公开办公室}\nsites:\n"
                     "  - {name: 甲县, start_url: 'http://127.0.0.1:9/a/', level: 区县}\n"
                     "  - {name: 乙县, profile: own.yaml, level: 区县}\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'c.db'}"
    cid = run.create(db, str(sites), tmp_path / "out", dt.date(2023, 11, 30), None, None)
    engine = storage.connect(db)
    seen = {}
    monkeypatch.setattr(job, "run_child", _crawl_ending(engine, "complete", []))
    monkeypatch.setattr(workflow, "audit_and_report",
                        lambda engine, scan_id, as_of, out, profile=None, **kw: seen.update({out.name: profile}))
    for row in store.site_rows(engine, cid):
        assert job.run_site(db, row["id"]) == "complete"
    reports = {name.split("-", 1)[1]: profile["report"] for name, profile in seen.items()}
    assert reports == {"甲县": {"inspector": "测试市政务公开办公室"},
                       "乙县": {"inspector": "测试市政务公开办公室", "addressee": "乙县各部门："}}
    sites.write_text("report: {inspektor: x}\nsites:\n  - {name: 甲县, start_url: 'http://127.0.0.1:9/a/'}\n",
                     encoding="utf-8")
    result = run_cli("campaign", "run", "--sites", sites, "--db", tmp_path / "d.db", "--out", tmp_path / "o2")
    assert_one_line_error(result, 3, "report.inspektor")


def test_resuming_a_finished_campaign_keeps_its_finish_time(tmp_path):
    sites = write_sites(tmp_path / "conf", [("丁局", "http://127.0.0.1:9/", "部门")])
    db = tmp_path / "c.db"
    result = run_cli("campaign", "run", "--sites", sites, "--db", db, "--out", tmp_path / "out", "--workers", "1")
    assert result.returncode == 0, result.stderr
    engine = storage.connect(f"sqlite:///{db}", create=False)
    finished = store.campaign_row(engine)
    assert finished["status"] == "complete" and finished["finished_at"]
    time.sleep(1.1)
    result = run_cli("campaign", "run", "--resume", str(finished["id"]), "--db", db)
    assert result.returncode == 0, result.stderr
    assert store.campaign_row(engine, finished["id"])["finished_at"] == finished["finished_at"]


def test_one_site_at_a_time_each_site_has_a_process_of_its_own(tmp_path):
    # Run in one process, the second site's crawl ran beside the first site's audit memory.
    sites = write_sites(tmp_path / "conf", [("丁局", "http://127.0.0.1:9/a/", "部门"),
                                            ("戊局", "http://127.0.0.1:9/b/", "部门")])
    db = tmp_path / "c.db"
    result = run_cli("campaign", "run", "--sites", sites, "--db", db, "--out", tmp_path / "out", "--workers", "1")
    assert result.returncode == 0, result.stderr
    engine = storage.connect(f"sqlite:///{db}", create=False)
    rows = store.site_rows(engine, store.campaign_row(engine)["id"])
    engine.dispose()
    assert [r["status"] for r in rows] == ["failed", "failed"]          # nothing answers on port 9
    pids = {r["worker"].rpartition(":")[2] for r in rows}
    assert len(pids) == 2
