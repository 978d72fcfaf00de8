"""An empty column page (a real page of tests/realpages): the 甘肃省教育厅 column 文件通知, whose
list box and pager are there but empty (the items are commented out), inside a 政府信息公开 menu
whose 年报 entries are years (2024 … 2008)."""
from __future__ import annotations

from pathlib import Path

from crawler.extract.encoding import decode_html
from crawler.extract.html import Page
from crawler.listing import classify_page, read_list
from crawler.listing.plain import Pager

PAGE = Path(__file__).resolve().parents[1] / "realpages" / "jyt.gansu.gov.cn" / "c110634_zwgklist.html"
URL = "https://jyt.gansu.gov.cn/jyt/c110634/zwgklist.shtml"


def _page() -> Page:
    text, _enc = decode_html(PAGE.read_bytes(), None)
    return Page(URL, text)


def test_a_column_with_an_empty_list_box_reads_as_an_empty_list():
    assert classify_page(URL, _page()) == "list"
    found = read_list(URL, _page())
    assert found is not None and found.style == "empty_list"
    assert found.entries == [] and found.next_pages == []


def test_a_menu_of_year_links_is_not_a_pager():
    assert not Pager(_page()).present
    years = "".join(f"<li><a href='/nb/{y}/'>{y}</a></li>" for y in range(2024, 2015, -1))
    html = f"<html><body><ul class='menu'>{years}</ul><div class='list'><p>x</p></div></body></html>"
    assert not Pager(Page("http://x.gov.cn/col/1/", html)).numbered
    pager = "<div class='page'><a href='?page=1'>1</a><a href='?page=2'>2</a><a href='?page=3'>3</a></div>"
    assert Pager(Page("http://x.gov.cn/col/1/", f"<html><body>{pager}</body></html>")).next_url == "http://x.gov.cn/col/1/?page=2"


def test_an_empty_list_box_that_a_script_may_fill_is_not_read_as_empty():
    """No script on the 甘肃 page fills its box: a reader sees an empty column (空白栏目).  A box
    beside a script that loads data the endpoint reader could not follow proves nothing."""
    html = ("<html><body><div class='main'><h2>文件通知</h2><ul class='xxgklist'></ul><div id='page_div'></div>"
            "<script>$(function(){ $.ajax({url: buildUrl(), success: render}); });</script></div></body></html>")
    found = read_list("https://x.gov.cn/col/1/", Page("https://x.gov.cn/col/1/", html))
    assert found is not None and found.style == "empty_list_script"


def test_the_empty_box_an_empty_paging_box_follows_is_the_list_a_script_fills():
    """吉林省公共资源交易中心's 招标公告 column (tests/realpages): the list box (div#jyul) names no list,
    the pager is div.paging, and a script POSTs for JSON to fill both.  A list the crawler cannot
    read, not a hub of the 34 menu links beside it."""
    page = Path(__file__).resolve().parents[1] / "realpages" / "www.ggzyzx.jl.gov.cn" / "zfcg_zbgg_list_channel69308.html"
    url = "http://www.ggzyzx.jl.gov.cn/jyxx/zfcg/zbgg/"
    text, _enc = decode_html(page.read_bytes(), None)
    found = read_list(url, Page(url, text))
    assert found is not None and found.style == "empty_list_script" and found.entries == []
    assert classify_page(url, Page(url, text)) == "list"
    # Without a script that loads data, an empty box before an empty pager is no list box: a hub
    # template's empty pager must not turn the hub into a 空白栏目.
    bare = "<html><body><div class='main'><div id='box'></div><div class='paging'></div></div></body></html>"
    assert read_list("http://x.gov.cn/col/1/", bare) is None
