"""The snapshot writer: batched, idempotent, ordered so that resume never loses a request."""
from sqlalchemy import insert, select

from crawler import items as it
from crawler.pipelines import SnapshotWriter
from govaudit.core import storage


def new_scan(engine, url="http://site.test/"):
    with engine.begin() as conn:
        return conn.execute(insert(storage.scan).values(start_url=url, status="running")).inserted_primary_key[0]


def rows(engine, table, scan_id):
    with engine.connect() as conn:
        return conn.execute(select(table).where(table.c.scan_id == scan_id).order_by(table.c.id)).mappings().all()


def test_upserts_keep_one_row_per_key(tmp_path):
    engine = storage.connect(str(tmp_path / "s.db"))
    scan = new_scan(engine)
    w = SnapshotWriter(engine, scan)
    w.add(it.DocumentItem(url="http://site.test/a.html", title="旧标题", fields={"索引号": "1"}))
    w.add(it.ListItemItem(column_url="http://site.test/c/", url="http://site.test/a.html", position=0))
    w.flush()
    # Written again (a resumed scan re-fetching it): still one row, the newer facts win.
    w.add(it.DocumentItem(url="http://site.test/a.html", title="新标题", fields={"索引号": "2"}))
    w.add(it.ListItemItem(column_url="http://site.test/c/", url="http://site.test/a.html", position=5))
    w.add(it.ListItemItem(column_url="http://site.test/c2/", url="http://site.test/a.html", position=0))
    w.flush()
    docs = rows(engine, storage.document, scan)
    assert [(d["title"], d["fields"]) for d in docs] == [("新标题", {"索引号": "2"})]
    items = rows(engine, storage.list_item, scan)
    assert sorted((i["column_url"], i["position"]) for i in items) == [
        ("http://site.test/c/", 0), ("http://site.test/c2/", 0)]


def test_duplicates_inside_one_batch_are_merged(tmp_path):
    engine = storage.connect(str(tmp_path / "s.db"))
    scan = new_scan(engine)
    w = SnapshotWriter(engine, scan)
    for status in (None, 404, 200):
        w.add(it.LinkStatusItem(url="http://x.test/", status=status, outcome="ok"))
    w.add(it.LinkSourceItem(target_url="http://x.test/", source_url="http://site.test/", on_homepage=True))
    w.add(it.LinkSourceItem(target_url="http://x.test/", source_url="http://site.test/", on_homepage=False))
    w.flush()
    assert [r["status"] for r in rows(engine, storage.link, scan)] == [200]
    assert [r["on_homepage"] for r in rows(engine, storage.link_source, scan)] == [True]


def test_frontier_rows_land_with_the_done_marker_of_their_page(tmp_path):
    engine = storage.connect(str(tmp_path / "s.db"))
    scan = new_scan(engine)
    w = SnapshotWriter(engine, scan)
    w.add(it.FrontierEntry("aa", "http://site.test/", {"callback": "parse_home"}))
    w.flush()
    # The home page's children and its done marker travel in one transaction.
    w.add(it.FrontierEntry("bb", "http://site.test/c/", {"callback": "parse_column"}))
    w.add(it.PageItem(url="http://site.test/", kind="homepage", status=200))
    w.add(it.FrontierDone("aa"))
    w.flush()
    frontier = {r["fingerprint"]: r["done"] for r in rows(engine, storage.frontier, scan)}
    assert frontier == {"aa": True, "bb": False}


def test_unchanged_page_is_copied_from_the_previous_scan(tmp_path):
    engine = storage.connect(str(tmp_path / "s.db"))
    first, second = new_scan(engine), new_scan(engine)
    url = "http://site.test/doc.html"
    w = SnapshotWriter(engine, first)
    w.add(it.PageItem(url=url, kind="document", status=200, etag='"v1"'))
    w.add(it.DocumentItem(url=url, title="关于印发…的通知", fields={"发文字号": "章政发〔2023〕1号"},
                          column_url="http://site.test/old/"))
    w.add(it.RelationItem(src_url=url, dst_url="http://site.test/jd.html", kind="interpretation"))
    w.add(it.LinkSourceItem(target_url="http://site.test/f.pdf", source_url=url, tag="attachment"))
    w.flush()
    w2 = SnapshotWriter(engine, second)
    for _ in range(2):      # copying twice (a resumed re-scan) must not duplicate anything
        w2.add(it.CopyPreviousItem(url=url, previous_scan_id=first))
        w2.flush()
    docs = rows(engine, storage.document, second)
    assert [(d["title"], d["fields"], d["column_url"]) for d in docs] == [
        ("关于印发…的通知", {"发文字号": "章政发〔2023〕1号"}, "http://site.test/old/")]
    assert [r["dst_url"] for r in rows(engine, storage.relation, second)] == ["http://site.test/jd.html"]
    assert [r["tag"] for r in rows(engine, storage.link_source, second)] == ["attachment"]
    assert [r["etag"] for r in rows(engine, storage.page, second)] == ['"v1"']
    assert len(rows(engine, storage.document, first)) == 1
