"""Card and calendar-style list templates print an item's date in two elements (black-box probe):
the day big with the year-month under it (<div class="date"><span class="day">12</span>
<span class="ym">2023-05</span></div>), the month-day and the year apart (<em>05-12</em><i>2023</i>),
or a <time datetime="2023-05-12"> showing only 5月12日.  Many district portals and 信息公开 platforms
use these templates for news and file lists whose URLs carry no date stamp (detail.jsp?id=…), so
the date must come from the two halves: read as undated, the list was a hub of "columns" or an
empty column, and its column 更新不及时."""
from __future__ import annotations

import pytest

from crawler.extract.dates import split_date
from crawler.listing import read_list
from crawler_helpers import crawl_into
from fixture_site import Answer, FixtureSite

from govaudit.core import storage

ITEMS = [("8142", "2023-10-18", "关于印发促进民营经济高质量发展若干措施的通知"),
         ("8156", "2023-09-06", "关于印发城市更新行动实施方案的通知"),
         ("8170", "2023-07-05", "关于印发2023年重点民生实事项目的通知")]


def card(i, d, t):
    y, m, dd = d.split("-")
    return (f'<li><div class="date"><span class="day">{dd}</span><span class="ym">{y}-{m}</span></div>'
            f'<a href="detail.jsp?id={i}" title="{t}">{t}</a></li>')


def em(i, d, t):
    y, m, dd = d.split("-")
    return f'<li><a href="detail.jsp?id={i}">{t}</a><div class="dt"><em>{m}-{dd}</em><i>{y}</i></div></li>'


def time_tag(i, d, t):
    y, m, dd = d.split("-")
    return f'<li><time datetime="{d}">{int(m)}月{int(dd)}日</time><a href="detail.jsp?id={i}">{t}</a></li>'


def list_page(style, title="区政府文件"):
    tree = ('<div class="gk-left"><ul class="tree"><li class="on"><a href="list.jsp?catid=12&unitid=1">区政府文件</a></li>'
            '<li><a href="list.jsp?catid=13&unitid=1">区政府办公室文件</a></li></ul></div>')
    items = "".join(style(*it) for it in ITEMS)
    return (f"<html><head><title>{title}</title></head><body>{tree}<div class='gk-right'><h2>{title}</h2>"
            f"<ul class='gk-list'>{items}</ul></div></body></html>")


@pytest.mark.parametrize("style", [card, em, time_tag])
def test_a_date_split_over_two_elements_dates_the_entry(style):
    page = read_list("http://www.example.gov.cn/gkml/list.jsp?catid=12&unitid=1", list_page(style))
    assert [(e.url.rsplit("=", 1)[1], e.date) for e in page.entries] == [(i, d) for i, d, _t in ITEMS]


def test_split_halves_must_each_be_a_half():
    assert split_date("12", "2023-05").iso == "2023-05-12"
    assert split_date("2023年5月", "12日").iso == "2023-05-12"
    assert split_date("05-12", "2023").iso == "2023-05-12"
    # a pager's numbers, a count beside a year, an impossible day: no date
    for a, b in (("1", "2"), ("共12条", "2023"), ("31", "2023-02"), ("12", "第2023-05期")):
        assert split_date(a, b) is None


def test_a_platform_list_with_card_dates_is_a_dated_list(tmp_path):
    home = ("<html><head><title>某区人民政府</title></head><body><div class='nav'><a href='/'>首页</a>"
            "<a href='/gkml/index.jsp'>政府信息公开</a></div></body></html>")
    platform = ("<html><head><title>政府信息公开</title></head><body><div class='gk-left'><ul class='tree'>"
                "<li><a href='list.jsp?catid=12&unitid=1'>区政府文件</a></li>"
                "<li><a href='list.jsp?catid=13&unitid=1'>区政府办公室文件</a></li></ul></div></body></html>")
    pages = {"/": Answer(home), "/gkml/index.jsp": Answer(platform), "/gkml/list.jsp?catid=12&unitid=1": Answer(list_page(card)),
             "/gkml/list.jsp?catid=13&unitid=1": Answer(list_page(em, "区政府办公室文件"))}
    for i, d, t in ITEMS:
        pages[f"/gkml/detail.jsp?id={i}"] = Answer(
            f"<html><body><h1>{t}</h1><p>发布时间：{d}</p><div id='zoom'><p>{'正文内容。' * 40}</p></div></body></html>")
    site = FixtureSite(pages)
    try:
        snap = crawl_into(tmp_path, site.url)
    finally:
        site.stop()
    columns = {r["url"]: r for r in snap.rows(storage.column)}
    for cat in (12, 13):
        url = f"{site.url}gkml/list.jsp?catid={cat}&unitid=1"
        assert columns[url]["kind"] == "list" and columns[url]["item_count"] == 3
        dates = {r["url"].rsplit("=", 1)[1]: r["date"] for r in snap.rows(storage.list_item, column_url=url)}
        assert dates == {i: d for i, d, _t in ITEMS}
    # the documents are the lists' entries, not columns of their own
    assert not any("detail.jsp" in u for u in columns)


def test_a_card_link_holding_its_split_date_and_title():
    """<a><div class="date"><span>12</span><span>2023-05</span></div><p>title</p></a>: the whole card
    is the link; the date halves are the entry's date, not part of its title."""
    def in_link(i, d, t):
        y, m, dd = d.split("-")
        return (f'<li><a href="detail.jsp?id={i}"><div class="date"><span class="day">{dd}</span>'
                f'<span class="ym">{y}-{m}</span></div><p class="tit">{t}</p></a></li>')

    def after_title(i, d, t):
        y, m, dd = d.split("-")
        return f'<li><a href="detail.jsp?id={i}">{t}<em>{m}-{dd}</em><i>{y}</i></a></li>'

    for style in (in_link, after_title):
        page = read_list("http://www.example.gov.cn/gkml/list.jsp?catid=12&unitid=1", list_page(style))
        assert [(e.title, e.date) for e in page.entries] == [(t, d) for _i, d, t in ITEMS]


@pytest.mark.parametrize("shown", ["{m}-{dd}", "{m}月{dd}日"])
def test_a_time_element_inside_the_title_link_is_the_date_not_the_title(shown):
    """<a><time datetime="2023-10-18">10-18</time>title</a>: HTML's own date element, showing a
    month and day only, dates the entry and is no part of its title."""
    def style(i, d, t):
        y, m, dd = d.split("-")
        return f'<li><a href="detail.jsp?id={i}">{t} <time datetime="{d}">{shown.format(m=m, dd=dd)}</time></a></li>'

    page = read_list("http://www.example.gov.cn/gkml/list.jsp?catid=12&unitid=1", list_page(style))
    assert [(e.title, e.date) for e in page.entries] == [(t, d) for _i, d, t in ITEMS]
