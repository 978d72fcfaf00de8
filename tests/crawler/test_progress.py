"""Interactive crawls show live progress; scheduled (quiet) crawls print nothing."""
import pytest
from crawler_helpers import FAST
from fixture_site import Answer, FixtureSite

from crawler.runner import crawl
from govaudit import storage

PAGE = ("<html><head><title>某区政府</title></head><body><ul class='nav'><li><a href='/col/a/'>工作动态</a></li></ul>"
        "<ul>{items}</ul></body></html>")


@pytest.fixture(scope="module")
def site():
    items = "".join(f"<li><a href='/col/a/d{i}.html'>第{i}号工作动态信息标题</a><span>2023-11-{i:02d}</span></li>"
                    for i in range(1, 9))
    pages = {"/": Answer(PAGE.format(items="")), "/col/a/": Answer(PAGE.format(items=items))}
    for i in range(1, 9):
        pages[f"/col/a/d{i}.html"] = Answer(
            f"<html><body><h1>第{i}号工作动态信息标题</h1><p>发布日期：2023-11-{i:02d}</p>"
            f"<div id='zoom'><p>{'正文内容。' * 40}</p></div></body></html>", delay=0.3)
    s = FixtureSite(pages)
    yield s
    s.stop()


def test_interactive_crawl_shows_progress(site, tmp_path, capfd):
    events = []
    crawl(db=storage.db_url(str(tmp_path / "a.db")), start_urls=[site.url], quiet=False,
          settings={**FAST, "CONCURRENT_REQUESTS_PER_DOMAIN": 2}, on_event=events.append)
    err = capfd.readouterr().err
    assert "pages" in err and "documents" in err and "pages/s" in err
    progress = [e for e in events if e["type"] == "progress"]
    assert progress and {"pages", "documents", "errors", "pages_per_s", "elapsed"} <= set(progress[-1])
    done = [e for e in events if e["type"] == "done"]
    assert done and done[-1]["documents"] == 8


def test_quiet_crawl_prints_nothing(site, tmp_path, capfd):
    crawl(db=storage.db_url(str(tmp_path / "q.db")), start_urls=[site.url], quiet=True, settings=FAST)
    out = capfd.readouterr()
    assert out.out == "" and out.err == ""
