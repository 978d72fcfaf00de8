"""ASP.NET GridView lists paged by ``javascript:__doPostBack('GridView1','Page$2')`` (older gkml
platforms, met on a black-box probe site): their later pages have no address, so only the first
page was read and every document beyond it went unchecked.  The pages are the form posted back."""
from __future__ import annotations

from urllib.parse import parse_qs

from crawler_helpers import crawl_into
from fixture_site import Answer, FixtureSite

from crawler.listing import read_list, read_response
from crawler.listing.postback import MAX_FORM_BYTES
from govaudit.core import storage

PER_PAGE, PAGES = 3, 3


def _pager(current: int) -> str:
    cells = "".join(f"<td><span>{n}</span></td>" if n == current else
                    f"<td><a href=\"javascript:__doPostBack('ctl00$main$GridView1','Page${n}')\">{n}</a></td>"
                    for n in range(1, PAGES + 1))
    return f"<tr class='pager'><td colspan='3'><table><tr>{cells}</tr></table></td></tr>"


def _list_page(current: int, state: str = "dDwtMTA4") -> str:
    rows = "".join(f"<tr><td>{n}</td><td><a href='show.aspx?id={n}' target='_blank'>关于第{n}项工作的通知</a></td>"
                   f"<td>2023-10-{30 - n:02d}</td></tr>"
                   for n in range((current - 1) * PER_PAGE + 1, current * PER_PAGE + 1))
    return (f"<html><head><title>通知公告</title></head><body>"
            f"<form name='aspnetForm' method='post' action='./list.aspx?ClassID=24' id='aspnetForm'>"
            f"<input type='hidden' name='__EVENTTARGET' id='__EVENTTARGET' value='' />"
            f"<input type='hidden' name='__EVENTARGUMENT' id='__EVENTARGUMENT' value='' />"
            f"<input type='hidden' name='__VIEWSTATE' id='__VIEWSTATE' value='{state}{current}+/=' />"
            f"<input type='text' name='ctl00$kw' value='请输入关键字' />"
            f"<div class='right'><h3>通知公告</h3><table id='ctl00_main_GridView1' class='grid'>"
            f"<tr><th>序号</th><th>标题</th><th>发布日期</th></tr>{rows}{_pager(current)}</table>"
            f"<div>共{PER_PAGE * PAGES}条记录 共{PAGES}页</div></div></form></body></html>")


URL = "http://gk.example.gov.cn/gkml/list.aspx?ClassID=24"


def test_the_first_page_plans_the_form_posted_back_for_page_two():
    found = read_list(URL, _list_page(1))
    assert found is not None and found.style == "aspnet_postback"
    assert [e.title for e in found.entries][:1] == ["关于第1项工作的通知"] and len(found.entries) == PER_PAGE
    [nxt] = found.next_pages
    assert nxt["method"] == "POST" and nxt["url"] == URL
    form = parse_qs(nxt["body"])
    assert form["__EVENTTARGET"] == ["ctl00$main$GridView1"] and form["__EVENTARGUMENT"] == ["Page$2"]
    assert form["__VIEWSTATE"] == ["dDwtMTA41+/="], "the page's own view state goes back"
    assert "ctl00$kw" not in form, "a search box a reader leaves alone is not filled in"


def test_each_answer_plans_the_page_after_it_and_the_last_page_none():
    first = read_list(URL, _list_page(1)).next_pages[0]
    second = read_response(first, URL, _list_page(2))
    assert [e.title for e in second.entries][0] == "关于第4项工作的通知"
    assert parse_qs(second.next_pages[0]["body"])["__EVENTARGUMENT"] == ["Page$3"]
    assert parse_qs(second.next_pages[0]["body"])["__VIEWSTATE"] == ["dDwtMTA42+/="]
    third = read_response(second.next_pages[0], URL, _list_page(3))
    assert len(third.entries) == PER_PAGE and third.next_pages == []
    again = read_response(second.next_pages[0], URL, _list_page(2))
    assert again.entries == [] and again.next_pages == [], "a page seen before ends the walk"


def test_a_huge_view_state_is_not_posted_back():
    found = read_list(URL, _list_page(1, state="x" * MAX_FORM_BYTES))
    assert found.style == "aspnet_postback" and len(found.entries) == PER_PAGE and found.next_pages == []


def test_the_crawl_posts_back_and_stores_every_page_of_the_list(tmp_path):
    def column(posted):
        if not posted:
            return Answer(_list_page(1))
        page = int(parse_qs(posted)["__EVENTARGUMENT"][0].split("$")[1])
        return Answer(_list_page(page))
    home = ("<html><head><title>示例区人民政府</title></head><body><ul class='nav'>"
            "<li><a href='/gkml/list.aspx?ClassID=24'>通知公告</a></li></ul></body></html>")
    pages = {"/": Answer(home), "/gkml/list.aspx?ClassID=24": column}
    for n in range(1, PER_PAGE * PAGES + 1):
        pages[f"/gkml/show.aspx?id={n}"] = Answer(
            f"<html><body><h1>关于第{n}项工作的通知</h1><p>发布日期：2023-10-{30 - n:02d}</p>"
            f"<div id='zoom'><p>{'正文内容。' * 40}</p></div></body></html>")
    site = FixtureSite(pages)
    try:
        snap = crawl_into(tmp_path, site.url)
    finally:
        site.stop()
    items = snap.rows(storage.list_item)
    assert {i["url"] for i in items} == {f"{site.url}gkml/show.aspx?id={n}" for n in range(1, PER_PAGE * PAGES + 1)}
    assert sorted(parse_qs(body)["__EVENTARGUMENT"][0] for _, body in site.posted) == ["Page$2", "Page$3"]
    assert len(snap.rows(storage.document)) == PER_PAGE * PAGES
