"""--unit / --column restrict the crawl; an unreachable site or an unknown unit is one clear line."""
import socket
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from crawler_helpers import FAST, crawl_into

from crawler.runner import crawl
from govaudit.core import storage
from govaudit.core.errors import EXIT_UNREACHABLE, EXIT_USAGE, GovauditError


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]      # closed again when the block ends: nothing listens there


def test_unreachable_start_url_is_exit_4_with_one_line(tmp_path):
    url = f"http://127.0.0.1:{closed_port()}/"
    with pytest.raises(GovauditError) as err:
        crawl(db=storage.db_url(str(tmp_path / "x.db")), start_urls=[url], settings=FAST)
    assert err.value.code == EXIT_UNREACHABLE
    assert err.value.message.startswith("无法访问起始网址 / start URL unreachable: " + url)
    assert "connection refused" in err.value.message and "\n" not in err.value.message
    scan = storage.connect(str(tmp_path / "x.db"))
    with scan.connect() as conn:
        assert conn.execute(storage.scan.select()).mappings().one()["status"] == "failed"


def test_a_crawl_that_cannot_start_fails_the_scan_instead_of_leaving_it_running(tmp_path):
    """Scrapy logs an exception raised while creating the spider and exits 0; the scan row must
    not be left 'running' and reported as done."""
    from govaudit.core.errors import EXIT_INTERNAL

    db = storage.db_url(str(tmp_path / "x.db"))
    with pytest.raises(GovauditError) as err:
        crawl(db=db, start_urls=[f"http://127.0.0.1:{closed_port()}/"],
              settings={**FAST, "GOVAUDIT_RECHECK_DOCUMENTS_AFTER_DAYS": "not a number"})
    assert err.value.code == EXIT_INTERNAL and "\n" not in err.value.message
    with storage.connect(db).connect() as conn:
        assert conn.execute(storage.scan.select()).mappings().one()["status"] == "failed"


def test_cli_unreachable_start_url(tmp_path):
    url = f"http://127.0.0.1:{closed_port()}/"
    r = subprocess.run([sys.executable, "-m", "govaudit.cli", "-q", "scan", "--start-url", url,
                        "--db", str(tmp_path / "x.db"), "--out", str(tmp_path / "out")],
                       capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert r.returncode == 4
    assert "Traceback" not in r.stderr
    assert r.stderr.strip().splitlines() == [f"govaudit: 无法访问起始网址 / start URL unreachable: {url} (connection refused)"]


def test_unit_scope_fetches_only_that_units_sub_site(small_sim, tmp_path):
    unit = next(u for u in small_sim.manifest["units"] if u["name"] == "区财政局")
    prefix = urlsplit(unit["home_url"]).path
    before = len(small_sim.requests)
    snap = crawl_into(tmp_path, small_sim.url, unit="区财政局")
    requests = list(small_sim.requests)[before:]
    assert snap.scan["scope_unit"] == "区财政局" and snap.scan["status"] == "complete"
    expected_cols = {c["url"] for c in small_sim.manifest["columns"] if c["unit"] == "区财政局"}
    assert set(snap.by_url(storage.column)) == expected_cols
    expected_docs = {d["url"] for d in small_sim.manifest["documents"] if d["unit"] == "区财政局"}
    assert set(snap.by_url(storage.document)) == expected_docs
    assert {r["name"] for r in snap.rows(storage.unit)} == {"区财政局"}
    # Discovery reads the homepage and the 信息公开 hub; nothing of another unit is requested,
    # and every page crawled (not just link-checked) is the unit's.
    others = [urlsplit(u["home_url"]).path for u in small_sim.manifest["units"] if u["code"] and u["name"] != "区财政局"]
    assert not [p for _, p, _ in requests if any(p.startswith(o) for o in others)]
    crawled = {urlsplit(r["url"]).path for r in snap.rows(storage.page) if r["kind"] in ("column", "hub")}
    assert {p for p in crawled if not p.startswith(prefix)} == {"/gongkai/"}


def test_unknown_unit_lists_close_matches(small_sim, tmp_path):
    with pytest.raises(GovauditError) as err:
        crawl_into(tmp_path, small_sim.url, unit="区财政")
    assert err.value.code == EXIT_USAGE
    assert "未找到单位 / unknown unit: 区财政" in err.value.message
    assert "区财政局" in err.value.message and "\n" not in err.value.message


def test_column_scope_reads_one_column(small_sim, tmp_path):
    target = next(c for c in small_sim.manifest["columns"] if c["name"] == "区政府文件")
    snap = crawl_into(tmp_path, small_sim.url, column=target["url"])
    assert snap.scan["scope_column"] == target["url"]
    columns = snap.by_url(storage.column)
    assert set(columns) == {target["url"]}
    # The crawl records the path it took; where the column sits is the audits' call from the
    # breadcrumb and URL (tests/audits/test_column_tree_sim.py), so only the tail must agree.
    assert target["path"].endswith(columns[target["url"]]["path"])
    expected = {d["url"] for d in small_sim.manifest["documents"] if target["url"] in d["column_urls"]}
    assert expected <= set(snap.by_url(storage.document))
    assert len(snap.rows(storage.list_item)) == target["item_count"]
