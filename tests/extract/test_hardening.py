"""Hostile and odd pages: the readers stay on the page's host, finish quickly, and still read."""
import pytest

from crawler.extract.document import extract_document
from crawler.extract.fields import extract_fields
from crawler.extract.navigation import find_column_links
from crawler.extract.page import page_facts
from crawler.listing import classify_page, read_list
from extract_fixtures import BASE, load, wrap


def test_hanweb_proxy_on_another_host_is_not_followed():
    html = load("list_hanweb.html").replace("proxyUrl:'/module/web/jpage/dataproxy.jsp'",
                                            "proxyUrl:'http://evil.example.com/steal.jsp'")
    page = read_list(BASE + "/col/col1/index.html", html)
    assert page.next_pages and all(r["url"].startswith(BASE + "/module/web/jpage/dataproxy.jsp?")
                                   for r in page.next_pages)


def test_pager_link_to_another_host_is_not_followed():
    html = wrap("<ul class='list'><li><a href='/a/1.html'>信息标题一</a><span>2023-01-01</span></li></ul>"
                "<div class='page'><a href='http://evil.example.com/list_2.html'>下一页</a></div>")
    page = read_list(BASE + "/l.html", html)
    assert page.next_pages == []


def test_table_list_takes_the_publish_date_column():
    html = wrap("""<table class='list'><tr><th>标题</th><th>成文日期</th><th>发布日期</th></tr>
      <tr><td><a href='/d/1.html'>关于某事项的通知</a></td><td>2023-01-02</td><td>2023-01-09</td></tr>
      <tr><td><a href='/d/2.html'>关于另一事项的通知</a></td><td>2023-02-02</td><td>2023-02-06</td></tr></table>""")
    page = read_list(BASE + "/l/", html)
    assert [e.date for e in page.entries] == ["2023-01-09", "2023-02-06"]


def test_item_with_two_dates_takes_the_last():
    html = wrap("<ul class='list'><li><a href='/d/1.html'>某通知</a> 成文 2023-01-02 发布 2023-01-09</li>"
                "<li><a href='/d/2.html'>另一通知</a> 成文 2023-02-01 发布 2023-02-03</li></ul>")
    assert [e.date for e in read_list(BASE + "/l/", html).entries] == ["2023-01-09", "2023-02-03"]


def test_title_wrapped_over_two_lines():
    html = wrap("<h1 class='title'>关于印发某区城镇住房<br>保障管理办法的通知</h1><div id='zoom'><p>正文。</p></div>",
                head="<title>关于印发某区城镇住房保障管理办法的通知</title>")
    assert extract_document(BASE + "/d.html", html).title == "关于印发某区城镇住房保障管理办法的通知"


def test_label_cells_with_th_and_td():
    html = wrap("<table><tr><th>索引号</th><td>X/2023-1</td><th>发布日期</th><td>2023-01-01</td></tr></table>")
    assert extract_fields(html)[0] == {"索引号": "X/2023-1", "发布日期": "2023-01-01"}


@pytest.mark.timeout(60)
def test_huge_hostile_pages_finish():
    spaces = "索引号：" + " " * 200_000 + "x"
    scripts = "<script>" + "".join(f"var u{i}='/api/{i}?q={i}';" for i in range(5000)) + "</script>"
    junk = "<div>" + "<a href='/x'>发布日期：</a>" * 5000 + "</div>"
    deep = "<div><ul><li>" * 80 + "<a href='/c/'>栏目</a>" + "</li></ul></div>" * 80
    records = ("<div id='1'><script type='text/xml'><datastore><recordset>"
               + "<record><![CDATA[<li><a href='/a.html'>x</a></li>]]></record>" * 3000 + "</recordset>")
    for body in (spaces, scripts, junk, deep, records, "<p>" + "。" * 300_000 + "</p>"):
        html = wrap(body)
        url = BASE + "/p.html"
        extract_document(url, html)
        read_list(url, html)
        find_column_links(url, html)
        classify_page(url, html)
        page_facts(url, html)


def test_relation_block_in_a_right_content_column_counts_but_a_right_rail_does_not():
    content_right = wrap("""<div class='left'><ul><li><a href='/c/1/'>政策文件</a></li></ul></div>
      <div class='right'><h1>某区人民政府关于印发某办法的通知</h1><div id='zoom'><p>正文。</p></div>
      <p>相关解读：<a href='/jd/1.html'>《某办法》政策解读</a></p></div>""")
    assert [r.url for r in extract_document(BASE + "/d.html", content_right).interpretation_links] == [BASE + "/jd/1.html"]
    rail_right = wrap("""<div class='main'><h1>某区人民政府关于印发某办法的通知</h1><div id='zoom'><p>正文。</p></div></div>
      <div class='right'><h3>政策解读</h3><ul><li><a href='/jd/9.html'>《别的办法》政策解读</a></li></ul></div>""")
    assert extract_document(BASE + "/d.html", rail_right).interpretation_links == []


def test_list_in_a_page_content_box_is_read():
    html = wrap("<div class='page-content'><ul class='list'><li><a href='/a/1.html'>信息标题一</a>"
                "<span>2023-01-01</span></li></ul></div><div class='page'><a href='?p=2'>下一页</a></div>")
    page = read_list(BASE + "/l/", html)
    assert [e.url for e in page.entries] == [BASE + "/a/1.html"]
