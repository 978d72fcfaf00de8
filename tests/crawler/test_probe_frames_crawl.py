"""An older frame-based 政府信息公开目录 (gkml), crawled over loopback HTTP (black-box probe h4).

The platform home is a <frameset>: a banner frame, the column tree in the left frame (tree.htm, links
target="main") and the list in the right one (list.jsp?catid=…).  A unit's home is a page of two
<iframe>s.  The 部门信息公开 directory is a table of links with no heading over it.
"""
from crawler_helpers import crawl_into
from fixture_site import Answer, FixtureSite

from govaudit.core import storage

FRAMESET = ('<html><head><title>某县人民政府信息公开目录</title></head>'
            '<frameset rows="120,*"><frame src="head.htm" name="topFrame">'
            '<frameset cols="220,*"><frame src="tree.htm" name="leftFrame">'
            '<frame src="list.jsp?catid=0" name="main"></frameset></frameset></html>')
HOME = ('<html><head><title>某县人民政府</title></head><body><div class="nav">'
        '<a href="/XXGK/index.shtml">政务公开</a></div>'
        '<table class="box"><tr><td><b>政府信息公开</b></td><td><a href="/XXGK/">进入&gt;&gt;</a></td></tr></table>'
        '</body></html>')
TREE = ('<html><body><table class="tree">'
        '<tr><td><a href="/XXGK/col/tzgg.htm" target="main">通知公告</a></td></tr>'
        '<tr><td><a href="list.jsp?catid=2" target="main">县政府文件</a></td></tr>'
        '<tr><td><a href="list.jsp?catid=3" target="main">部门信息公开</a></td></tr></table></body></html>')


def _list(rows, crumb='<a href="/XXGK/list.jsp?catid=0" target="main">信息公开目录</a>'):
    items = "".join(f'<tr><td><a href="{href}" target="_blank">{title}</a></td><td>{date}</td></tr>'
                    for href, title, date in rows)
    return (f'<html><body><div class="position">当前位置：{crumb}</div>'
            f'<table class="list_table"><tr><td>名称</td><td>发布日期</td></tr>{items}</table></body></html>')


DOC = ('<html><head><title>{0}</title></head><body><table class="xxgk_info"><tr><th>索 引 号：</th><td>{1}</td>'
       '<th>发布日期：</th><td>2023-11-20</td></tr></table><h2>{0}</h2><div id="zoom"><p>正文内容。</p></div></body></html>')

PAGES = {
    "/": HOME,
    "/XXGK/index.shtml": FRAMESET,
    "/XXGK/": FRAMESET,
    "/XXGK/head.htm": '<html><body><img src="/top.jpg" alt="某县信息公开"><a href="/" target="_top">网站首页</a></body></html>',
    "/XXGK/tree.htm": TREE,
    "/XXGK/list.jsp?catid=0": _list([("content/1.htm", "关于某事的通知", "2023-11-20")]),
    "/XXGK/list.jsp?catid=1": _list([("content/1.htm", "关于某事的通知", "2023-11-20")]),
    "/XXGK/list.jsp?catid=2": _list([("content/2.htm", "某县人民政府关于某事的通知", "2023-11-21")]),
    "/XXGK/list.jsp?catid=3": _list([], crumb="部门信息公开").replace(
        '<table class="list_table"><tr><td>名称</td><td>发布日期</td></tr></table>',
        '<table class="bm_table"><tr><td><a href="/XXGK/bm/czj/" target="_blank">某县财政局</a></td><td></td></tr></table>'),
    "/XXGK/bm/czj/": ('<html><body><iframe src="tree.htm" name="leftFrame" width="220" height="600"></iframe>'
                      '<iframe src="/XXGK/list.jsp?catid=31" name="main" width="780" height="600"></iframe></body></html>'),
    "/XXGK/bm/czj/tree.htm": '<html><body><a href="/XXGK/list.jsp?catid=31" target="main">通知公告</a></body></html>',
    "/XXGK/list.jsp?catid=31": _list([("content/31.htm", "某县财政局关于某事的通知", "2023-03-15")],
                                     crumb='<a href="/XXGK/bm/czj/index.shtml" target="_top">某县财政局</a>'),
    "/XXGK/content/1.htm": DOC.format("关于某事的通知", "00863527-0/2023-00001"),
    "/XXGK/content/2.htm": DOC.format("某县人民政府关于某事的通知", "00863527-0/2023-00002"),
    "/XXGK/content/31.htm": DOC.format("某县财政局关于某事的通知", "00863601-1/2023-00001"),
}


def _crawl(tmp_path):
    answers = {path: Answer(html) for path, html in PAGES.items()}
    answers["/XXGK/col/tzgg.htm"] = Answer("", status=302, headers={"Location": "/XXGK/col/tzgg/"})
    answers["/XXGK/col/tzgg/"] = Answer("", status=301, headers={"Location": "/XXGK/list.jsp?catid=1"})
    site = FixtureSite(answers)
    try:
        return site, crawl_into(tmp_path, site.url, settings={"GOVAUDIT_LINK_CHECK": False})
    finally:
        site.stop()


def test_a_frameset_homes_column_tree_is_read_from_its_tree_frame(tmp_path):
    site, snap = _crawl(tmp_path)
    columns = snap.by_url(storage.column)
    tree = columns[site.url + "XXGK/list.jsp?catid=2"]
    assert tree["name"] == "县政府文件" and tree["section"] == "gongkai" and tree["unit"] == "某县人民政府"
    # the banner frame is not the list a frameset shows (its folder /XXGK/ says nothing)
    assert site.url + "XXGK/head.htm" not in {p["url"] for p in snap.rows(storage.page) if p["kind"] == "list"}


def test_relative_links_of_a_redirected_column_are_read_against_where_it_landed(tmp_path):
    site, snap = _crawl(tmp_path)
    listed = {row["url"] for row in snap.rows(storage.list_item, column_url=site.url + "XXGK/col/tzgg.htm")}
    assert listed == {site.url + "XXGK/content/1.htm"}


def test_a_directory_of_units_without_a_heading_lists_units(tmp_path):
    site, snap = _crawl(tmp_path)
    units = {u["name"]: u for u in snap.rows(storage.unit)}
    assert units["某县财政局"]["home_url"] == site.url + "XXGK/bm/czj/"
    assert snap.by_url(storage.column)[site.url + "XXGK/list.jsp?catid=31"]["unit"] == "某县财政局"


def test_a_home_linked_as_its_folder_and_as_its_index_page_is_no_column(tmp_path):
    site, snap = _crawl(tmp_path)
    columns = snap.by_url(storage.column)
    assert site.url + "XXGK/" not in columns and site.url + "XXGK/bm/czj/index.shtml" not in columns
    assert columns[site.url + "XXGK/list.jsp?catid=31"]["is_leaf"]
