"""A scan that read too little is 无法评价 with its reason, in every report file, and exits 8 — over
real HTTP: a redirect loop, an empty site, a blog, a --column that does not exist, a capped crawl."""
from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import openpyxl
from bs4 import BeautifulSoup
from docx import Document

from govaudit.core.errors import EXIT_UNASSESSABLE
from tests.crawler.fixture_site import Answer, FixtureSite

from govaudit import history

from .helpers import AS_OF, add_scan, run_cli

BLOG_POST = "<html><body><h1>{title}</h1><p>Posted {date}</p><p>" + "Some thoughts on code. " * 30 + "</p></body></html>"
BLOG_LIST = ("<ul><li><a href='/posts/hello.html'>Hello world</a> 2023-11-28</li>"
             "<li><a href='/posts/second.html'>Second post</a> 2023-11-20</li></ul>")


def redirect_loop_site() -> FixtureSite:
    return FixtureSite({"/": Answer("", status=302, headers={"Location": "/"})})


def empty_site() -> FixtureSite:
    return FixtureSite({"/": Answer("<html><head><title>欢迎</title></head><body><p>网站建设中</p></body></html>")})


def blog_site() -> FixtureSite:
    """An ordinary personal blog: a few links, dated posts, nothing of 政务公开."""
    return FixtureSite({
        "/": Answer("<html><head><title>My blog</title></head><body><nav><a href='/about.html'>About</a> "
                    f"<a href='/posts/'>Posts</a> <a href='/tags/'>Tags</a></nav>{BLOG_LIST}</body></html>"),
        "/about.html": Answer("<html><body><h1>About me</h1><p>I write code.</p></body></html>"),
        "/posts/": Answer(f"<html><body><h1>Posts</h1>{BLOG_LIST}</body></html>"),
        "/tags/": Answer("<html><body><h1>Tags</h1><a href='/posts/hello.html'>python</a></body></html>"),
        "/posts/hello.html": Answer(BLOG_POST.format(title="Hello world", date="2023-11-28")),
        "/posts/second.html": Answer(BLOG_POST.format(title="Second post", date="2023-11-20")),
    })


def report_texts(out: Path) -> dict:
    soup = BeautifulSoup((out / "report.html").read_text(encoding="utf-8"), "html.parser")
    workbook = openpyxl.load_workbook(out / "findings.xlsx")
    summary = " ".join(str(c.value) for row in workbook["汇总"].iter_rows() for c in row if c.value is not None)
    return {"doc": json.loads((out / "findings.json").read_text(encoding="utf-8")),
            "overview": re.sub(r"\s+", "", soup.find("section", id="overview").get_text()),
            "cards": re.sub(r"\s+", "", soup.find("section", id="overview").find("div", class_="cards").get_text()),
            "docx": "\n".join(p.text for p in Document(str(out / "通报.docx")).paragraphs),
            "xlsx": summary}


def assert_unassessable(result, out: Path, needle: str) -> dict:
    """Exit 8, the reason on stderr, and 无法评价 with the reason in all four report files."""
    assert result.returncode == EXIT_UNASSESSABLE, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr and needle in result.stderr
    assert Path(result.stdout.strip().splitlines()[-1]) == out / "report.html"
    texts = report_texts(out)
    verdict = texts["doc"]["verdict"]
    assert verdict["result"] == "无法评价" and needle in verdict["reason"], verdict
    assert verdict["score_estimate"] is None
    assert "检查结论：无法评价。原因：" + re.sub(r"\s+", "", verdict["reason"]) in texts["overview"]
    assert "合格" not in texts["cards"].replace("不合格", "") and "100.0" not in texts["overview"]
    assert f"检查结论为无法评价，原因：{verdict['reason']}" in texts["docx"] and "得分约" not in texts["docx"]
    assert f"检查结论：无法评价（原因：{verdict['reason']}）" in texts["xlsx"]
    return texts


def scan(site: FixtureSite, tmp_path: Path):
    """``govaudit scan --start-url`` of a fixture site, which is stopped afterwards."""
    out = tmp_path / "report"
    try:
        result = run_cli("-q", "scan", "--start-url", site.url, "--db", tmp_path / "g.db", "--out", out,
                         "--as-of", AS_OF, timeout=300)
    finally:
        site.stop()
    return result, out


def history_rows(db: Path) -> list[dict]:
    result = run_cli("history", "--db", db, "--json", timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_homepage_in_a_redirect_loop_is_unassessable(tmp_path):
    result, out = scan(redirect_loop_site(), tmp_path)
    assert_unassessable(result, out, "起始网址循环重定向")
    with sqlite3.connect(tmp_path / "g.db") as conn:
        stats = json.loads(conn.execute("select stats from scan").fetchone()[0])
    assert stats["start_page_redirect_loop"] is True      # the crawler's fact; the audit judged it
    # `govaudit audit` of the stored scan judges it the same way and exits 8 too.
    again = run_cli("-q", "audit", "--db", tmp_path / "g.db", "--scan", "1", "--as-of", AS_OF,
                    "--out", tmp_path / "again", timeout=120)
    assert_unassessable(again, tmp_path / "again", "起始网址循环重定向")
    assert history_rows(tmp_path / "g.db")[0]["verdict"] == "无法评价"


def test_an_empty_site_is_unassessable(tmp_path):
    result, out = scan(empty_site(), tmp_path)
    assert_unassessable(result, out, "未读取到任何栏目")


def test_an_ordinary_blog_is_not_a_gongkai_site(tmp_path):
    result, out = scan(blog_site(), tmp_path)
    texts = assert_unassessable(result, out, "未发现政府信息公开平台或政策文件库栏目")
    assert texts["doc"]["inventory"]["columns"] > 0      # it read the blog; there was nothing to judge


def test_a_scheduled_run_of_an_empty_site_publishes_the_report_logs_why_and_exits_8(tmp_path):
    site = empty_site()
    root = tmp_path / "srv"
    try:
        result = run_cli("-q", "schedule", "run", "--start-url", site.url, "--output-root", root,
                         "--as-of", AS_OF, timeout=300)
    finally:
        site.stop()
    assert result.returncode == EXIT_UNASSESSABLE, result.stderr[-2000:]
    assert "未读取到任何栏目" in result.stderr
    latest = Path(result.stdout.strip().splitlines()[-1])
    assert latest.is_file() and "无法评价" in latest.read_text(encoding="utf-8")
    log = (root / "schedule.log").read_text(encoding="utf-8")
    assert "无法评价 (exit 8)" in log and "未读取到任何栏目" in log


def test_a_start_url_that_answers_a_pdf_is_unassessable_and_not_judged_as_a_homepage(tmp_path):
    """A start URL that is a file (a 通报 PDF pasted by mistake) says so; the file is no homepage
    whose footer, metadata or 无障碍 entry could be missing."""
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    result, out = scan(FixtureSite({"/": Answer(pdf, content_type="application/pdf")}), tmp_path)
    texts = assert_unassessable(result, out, "起始网址未能读取（返回的是 application/pdf 文件，不是网页）")
    assert texts["doc"]["findings"] == []


def test_a_homepage_that_redirects_off_site_says_where_in_chinese(tmp_path):
    """The usual case is a district homepage moved to the city's 集约化 platform: the reason names
    the target and what to do, in the report's language (it read "out of scope: URL")."""
    site = FixtureSite({"/": Answer("", status=302, headers={"Location": "http://127.0.0.2:9/zq/"})})
    result, out = scan(site, tmp_path)
    texts = assert_unassessable(result, out, "起始网址未能读取（跳转到检查范围以外的网址 http://127.0.0.2:9/zq/，")
    assert "out of scope" not in texts["doc"]["verdict"]["reason"]
    assert "allowed_hosts" in texts["doc"]["verdict"]["reason"]


def test_a_column_that_does_not_exist_is_unassessable(sim, tmp_path):
    out = tmp_path / "report"
    result = run_cli("-q", "scan", "--profile", sim.profile(), "--column", f"{sim.url}col/col999999/index.html",
                     "--db", tmp_path / "g.db", "--out", out, "--as-of", AS_OF, timeout=300)
    assert_unassessable(result, out, "未读取到任何栏目")
    row = history_rows(tmp_path / "g.db")[0]
    assert row["verdict"] == "无法评价" and row["score"] is None


def test_a_crawl_that_hit_its_page_cap_is_incomplete_and_every_count_partial(sim, tmp_path):
    out = tmp_path / "report"
    # Whether the first 150 pages already show a veto depends on the crawl order; a veto found
    # stands (不合格), so this test switches the vetoes off to see the 无法评价 of a capped crawl.
    profile = tmp_path / "profile.yaml"
    profile.write_text(sim.profile().read_text(encoding="utf-8")
                       + "audit:\n  scoring:\n    vetoes:\n      blank_columns: 9999\n"
                         "      stale_major_columns: 9999\n      stale_columns: 9999\n      stale_homepage: false\n"
                         "  severity: {serious_wording_error: deduct, hidden_link: deduct}\n",
                       encoding="utf-8")
    result = run_cli("-q", "scan", "--profile", profile, "--max-pages", "150",
                     "--db", tmp_path / "g.db", "--out", out, "--as-of", AS_OF, timeout=300)
    texts = assert_unassessable(result, out, "抓取达到页面数上限（150个页面）")
    inventory = texts["doc"]["inventory"]
    assert inventory["partial"] is True and "页面数上限" in inventory["partial_reason"]
    assert 0 < inventory["documents"] < len({d["url"] for d in sim.manifest["defects"]}) + 10_000
    assert "栏目（部分）" in texts["cards"] and "文件（部分）" in texts["cards"]
    assert "检查未完成，均为已读取部分的数量" in texts["overview"] and "部分统计" in texts["overview"]
    assert "部分统计（未完成）" in texts["xlsx"]
    assert "以上均为已读取部分的数量" in texts["docx"]
    row = history_rows(tmp_path / "g.db")[0]
    assert row["status"] == "incomplete" and row["verdict"] == "无法评价"
    # `govaudit report` without --scan renders that finished (if capped) scan, and exits 8 too.
    again = run_cli("-q", "report", "--db", tmp_path / "g.db", "--out", tmp_path / "again", timeout=120)
    assert_unassessable(again, tmp_path / "again", "抓取达到页面数上限（150个页面）")


def test_retention_counts_capped_scans_as_finished(sqlite_engine):
    """Monthly runs with --max-pages are stored incomplete; retention still keeps only --keep of them."""
    ids = [add_scan(sqlite_engine, "http://site.test/", [], status="incomplete") for _ in range(3)]
    assert history.apply_retention(sqlite_engine, "http://site.test/", keep=2) == ids[:1]
