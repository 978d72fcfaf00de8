"""Interactive crawls show live progress; scheduled (quiet) crawls print nothing."""
import pytest
from crawler_helpers import FAST
from fixture_site import one_column_site

from crawler.runner import crawl
from govaudit.core import storage

@pytest.fixture(scope="module")
def site():
    s = one_column_site("工作动态", "第{i}号工作动态信息标题", 8, delay=0.3)
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
