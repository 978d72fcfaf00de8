"""A portal homepage (a real page of tests/realpages: www.gov.cn saved by a browser in 2023) is a
hub of columns, not a list: the ">>" of its 更多 boxes are not pager links."""
from __future__ import annotations

from pathlib import Path

from crawler.extract.encoding import decode_html
from crawler.extract.html import Page
from crawler.listing import classify_page, read_list
from crawler.listing.plain import Pager

PAGE = Path(__file__).resolve().parents[1] / "realpages" / "www.gov.cn" / "index_homepage_20230927.html"
URL = "https://www.gov.cn/"

MORE_BOX = ("<html><body><div class='box'><ul><li><a href='/fuwu/a/'>户籍</a></li><li><a href='/fuwu/b/'>教育</a></li>"
            "</ul><div class='more'><a href='/fuwu/'> &gt;&gt; </a></div></div></body></html>")
ARROW_PAGER = ("<html><body><ul class='list'><li><a href='/a/t1.html'>标题一</a><span>2023-09-01</span></li></ul>"
               "<div class='fenye'><a href='index_1.html'>&gt;</a> <a href='index_9.html'>尾页</a></div></body></html>")


def test_a_portal_homepage_is_a_hub_not_a_list_with_a_next_page():
    text, _enc = decode_html(PAGE.read_bytes(), None)
    assert classify_page(URL, Page(URL, text)) == "hub"
    found = read_list(URL, Page(URL, text))
    assert found is None or not found.next_pages      # was: 下一页 → /fuwu/gongmin/ (a 更多 ">>")


def test_the_arrows_of_a_more_link_are_no_next_page_but_a_pager_arrow_is():
    assert Pager(Page("http://x.gov.cn/", MORE_BOX)).next_url is None
    assert Pager(Page("http://x.gov.cn/col/", ARROW_PAGER)).next_url == "http://x.gov.cn/col/index_1.html"
