"""The attachment view (audits.filetext.attachment_view): one row per file, from its first
readable linking document, with what reading it gave, on hand-built snapshots."""
from audits.config import merged_config
from audits.filetext import ATTACHMENT_COLUMNS, attachment_view
from govaudit.core import storage

COL = "http://site.test/c/tz/"


def _view(site):
    return attachment_view(site.snapshot(), merged_config())


def test_a_file_is_shown_once_from_its_first_readable_document(site):
    site.column(COL, "通知公告")
    site.listed_doc(COL, "http://site.test/d/1", "通知1", http_status=404)      # not readable
    site.listed_doc(COL, "http://site.test/d/2", "通知2")
    site.listed_doc(COL, "http://site.test/d/3", "通知3")
    for n in (3, 1, 2):
        site.attachment("http://site.test/f/a.pdf", f"http://site.test/d/{n}", "名单.pdf", pages=3)
    site.attachment("http://site.test/f/b.pdf", "http://site.test/d/1")          # only on the unreadable one
    view = _view(site)
    assert list(view.columns) == ATTACHMENT_COLUMNS and list(view.index) == ["http://site.test/f/a.pdf"]
    row = view.loc["http://site.test/f/a.pdf"]
    assert (row["document_url"], row["title"], row["column_url"]) == ("http://site.test/d/2", "通知2", COL)
    assert row["pages"] == 3 and isinstance(row["pages"], int)      # not made a float by the join
    assert (row["kind"], row["read_status"], row["http_status"], row["link_broken"]) == ("pdf", "ok", 200, False)


def test_a_file_not_read_has_no_reading_and_keeps_its_own_detail(site):
    site.column(COL, "通知公告")
    site.listed_doc(COL, "http://site.test/d/1", "通知1")
    site._add(storage.attachment, url="http://site.test/f/big.zip", document_url="http://site.test/d/1", name=None,
              status=200, outcome="too_large", sha256=None, size=None, detail="over 50 MB")
    site.attachment("http://site.test/f/a.zip", "http://site.test/d/1", "名单.zip", kind="zip", pages=2,
                    members=[{"name": "附件2.xlsx", "kind": "xlsx", "status": "corrupt"}])
    view = _view(site)
    big = view.loc["http://site.test/f/big.zip"]
    assert big["name"] == "" and big["outcome"] == "too_large" and big["detail"] == "over 50 MB"
    assert big["kind"] is None and big["read_status"] is None and big["pages"] is None and big["members"] == []
    assert view.loc["http://site.test/f/a.zip", "pages"] == 2       # an int beside a file with no reading
    assert isinstance(view.loc["http://site.test/f/a.zip", "pages"], int)
    assert view.loc["http://site.test/f/a.zip", "members"] == [{"name": "附件2.xlsx", "kind": "xlsx",
                                                               "status": "corrupt"}]


def test_a_site_without_files_has_an_empty_view(site):
    site.column(COL, "通知公告")
    site.listed_doc(COL, "http://site.test/d/1", "通知1")
    view = _view(site)
    assert view.empty and list(view.columns) == ATTACHMENT_COLUMNS
