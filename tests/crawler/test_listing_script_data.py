"""Column pages whose records ship as a JavaScript literal (开普云/Ucap site platform), read from a
real saved page of the corpus (tests/realpages) and from the record shape that platform uses."""
from __future__ import annotations

from pathlib import Path

from crawler.extract.encoding import decode_html
from crawler.extract.html import Page
from crawler.listing import classify_page, read_list
from crawler.listing import scriptdata
from crawler.listing.base import ReadContext
from crawler.listing.jsanswer import record_entry

REAL = Path(__file__).resolve().parents[1] / "realpages" / "sthjt.jiangxi.gov.cn" / "col42150_index.html"
URL = "https://sthjt.jiangxi.gov.cn/jxssthjt/col/col42150/index.html"


def _page(url: str, html: str) -> Page:
    return Page(url, html)


def test_a_column_whose_records_are_a_script_literal_reads_as_a_list():
    text, _enc = decode_html(REAL.read_bytes(), None)
    assert classify_page(URL, _page(URL, text)) == "list"
    found = read_list(URL, _page(URL, text))
    assert found is not None and found.style == scriptdata.name
    assert len(found.entries) == 50
    first = found.entries[0]
    assert first.url == "https://sthjt.jiangxi.gov.cn/jxssthjt/col/col42150/content/content_1951206363677671424.html"
    assert first.date == "2025-07-29" and first.title == "《江西省生态环境分类执法监管办法》政策解读"
    assert not any("RelationArticle" in e.url for e in found.entries)


def test_a_record_link_given_per_device_as_a_json_string_is_the_pc_link():
    rec = {"title": "《办法》解读", "pubDate": "2025-01-02 16:13",
           "relationUrl": "/site/col1/relation/9-RelationArticle.json",
           "urls": '{"pc":"/site/col/col1/content/content_9.html","mobile":"/m/content_9.html"}'}
    entry = record_entry(rec, Page("https://x.gov.cn/site/col/col1/index.html", "<html></html>").resolve)
    assert entry.url == "https://x.gov.cn/site/col/col1/content/content_9.html"
    assert entry.date == "2025-01-02"


def test_a_column_tree_literal_without_dates_is_not_a_list():
    nodes = ",".join('{"name":"栏目%d","urls":"{\\"pc\\":\\"/site/col/col%d/index.html\\"}"}' % (i, i) for i in range(8))
    html = f"<html><body><div>首页</div><script>var channels = [{nodes}];</script></body></html>"
    page = _page("https://x.gov.cn/site/index.html", html)
    assert scriptdata.detect(page, ReadContext()) is None
