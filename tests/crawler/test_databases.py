"""The snapshot goes to any SQLAlchemy database: PostgreSQL as well as SQLite; a database that
cannot be reached is one line and exit code 5."""
import os

import pytest
from crawler_helpers import FAST, Snapshot
from fixture_site import one_column_site

from crawler.runner import crawl
from govaudit.core import storage
from govaudit.core.errors import EXIT_DB, GovauditError

PG_URL = os.environ.get("GOVAUDIT_TEST_PG_URL")


@pytest.fixture(scope="module")
def site():
    s = one_column_site("通知公告", "关于第{i}项工作的通知公告", 5,
                        extra="<p>索引号：11370181004205062T/2023-000000{i}</p>"
                              "<a href='/col/a/d{n}.html'>相关文件</a><a href='/files/{i}.pdf'>附件</a>")
    yield s
    s.stop()


@pytest.mark.postgres
def test_crawl_and_rescan_into_postgresql(site):
    if not PG_URL:
        pytest.skip("GOVAUDIT_TEST_PG_URL is not set (scripts/pg-test-server.sh start)")
    first = Snapshot(PG_URL, crawl(db=PG_URL, start_urls=[site.url], settings=FAST))
    second = Snapshot(PG_URL, crawl(db=PG_URL, start_urls=[site.url], settings=FAST))
    for snap in (first, second):
        assert snap.scan["status"] == "complete"
        docs = snap.by_url(storage.document)
        assert len(docs) == 5 and all(d["fields"]["发布日期"].startswith("2023-11-") for d in docs.values())
        assert {r["outcome"] for r in snap.rows(storage.link) if r["url"].endswith(".pdf")} == {"http_4xx"}
    assert second.scan["stats"]["not_modified"] == 5
    sources = lambda snap: {(r["source_url"], r["target_url"]) for r in snap.rows(storage.link_source)}
    assert sources(first) == sources(second)


def test_unreachable_database_is_exit_5(site):
    with pytest.raises(GovauditError) as err:
        crawl(db="postgresql://govaudit@127.0.0.1:1/nothing", start_urls=[site.url], settings=FAST)
    assert err.value.code == EXIT_DB and "\n" not in err.value.message
