"""The campaign report (govaudit/campaign/report.py) over a stored, audited scan of the simulated
site: its ranking, chart, common problems and links, in headless Chromium with no errors."""
from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote

import openpyxl
from sqlalchemy import update

from govaudit.campaign import store
from govaudit.campaign.report import write_campaign_report
from govaudit.core import storage

from .test_browser import browser, open_report, pytestmark  # noqa: F401  (shared Chromium fixtures and marks)


def _campaign(engine, out: Path, small_audit, previous: bool) -> int:
    """A campaign of three sites as its jobs leave it: two complete (the same stored scan), one failed."""
    sites = {"name": "测试市区县网站检查", "file": str(out.parent / "sites.yaml"), "sites": [
        {"name": n, "start_url": small_audit.sim.url, "profile": None, "level": level, "group": "测试市"}
        for n, level in (("甲区", "区县"), ("乙局", "部门"), ("丙区", "区县"))]}
    cid = store.create_campaign(engine, sites, str(out), "2023-11-30", "embedded", {})
    for row in store.site_rows(engine, cid):
        folder = out / f"{row['position']:03d}-{row['name']}"
        if row["name"] == "丙区":
            values = {"status": "failed", "reason": "无法访问起始网址 / start URL unreachable"}
        else:
            shutil.copytree(small_audit.report["report.html"].parent, folder, dirs_exist_ok=True)
            values = {"status": "complete", "scan_id": small_audit.scan_id, "report_dir": str(folder)}
        with engine.begin() as conn:
            conn.execute(update(storage.campaign_site).where(storage.campaign_site.c.id == row["id"]).values(**values))
    if previous:
        store.close_campaign(engine, cid)
    return cid


def test_campaign_report_ranks_charts_links_and_opens_in_chromium(small_audit, tmp_path, open_report):
    db = tmp_path / "scan.db"
    shutil.copy(small_audit.db_path, db)
    engine = storage.connect(str(db))
    _campaign(engine, tmp_path / "before", small_audit, previous=True)
    out = tmp_path / "now"
    cid = _campaign(engine, out, small_audit, previous=False)
    paths = write_campaign_report(engine, cid)
    engine.dispose()
    summary = small_audit.findings
    total = len(summary["findings"])

    page, errors, dialogs = open_report(Path(paths["report.html"]))
    assert not errors and not dialogs
    rows = page.eval_on_selector_all("table.ranking tbody tr", "rs => rs.map(r => r.innerText)")
    assert [r.split("\t")[1] for r in rows] == ["甲区", "乙局", "丙区"]     # ranked; the failed site last
    assert rows[0].split("\t")[0] == "1" and rows[2].split("\t")[0] == "—"
    assert summary["verdict"]["result"] in rows[0] and f"\t{total}\t0\t" in rows[0]      # total, change 0
    assert "检查失败" in rows[2]
    assert page.eval_on_selector_all("svg.chart-units g.unit-bar", "gs => gs.length") == 2
    hrefs = page.eval_on_selector_all("table.ranking a", "as => as.map(a => a.getAttribute('href'))")
    assert len(hrefs) == 2 and all((out / unquote(h)).exists() for h in hrefs)
    common = page.inner_text("section#common")
    assert "共性问题" in common and "甲区、乙局" in common
    width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1]

    book = openpyxl.load_workbook(paths["campaign.xlsx"])
    ranking = list(book["排名"].iter_rows(values_only=True))
    assert ranking[0][:6] == ("排名", "站点", "层级", "分组", "检查状态", "结论")
    assert [r[1] for r in ranking[1:]] == ["甲区", "乙局", "丙区"]
