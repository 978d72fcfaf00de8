"""Idioms of an older ASP.NET 政府信息公开目录 (gkml) platform, met on a black-box probe site.

* The units' group heading is a row of the links' own table (<tr><td class="bmtitle"
  colspan="2">部门信息公开目录</td></tr>), not a heading in front of it.
* A column's list is a GridView table headed 序号|索引号|名称|生成日期 whose date cells are empty
  (机构职能): a list of undated documents, not a hub of columns.
"""
from __future__ import annotations

import pytest

from crawler.extract.html import Page
from crawler.extract.navigation import find_column_links
from crawler.listing import classify_page, read_list

BASE = "http://gk.example.gov.cn/gkml/"

TREE = """<td width="220" valign="top" class="left">
<table width="100%" class="treebox"><tr><td class="treetitle">示例区政府信息公开目录</td></tr>
<tr><td class="treenode"><a href="list.aspx?ClassID=21">机构职能</a></td></tr>
<tr><td class="treenode"><a href="list.aspx?ClassID=22">政府文件</a></td></tr>
<tr><td class="treenode"><a href="list.aspx?ClassID=23">工作动态</a></td></tr>
<tr><td class="treenode"><a href="list.aspx?ClassID=24">通知公告</a></td></tr>
<tr><td class="treenode"><a href="list.aspx?ClassID=25">规范性文件</a></td></tr>
<tr><td class="treenode"><a href="list.aspx?ClassID=26">政策解读</a></td></tr>
</table></td>"""

TOP = """<table width="1000" class="top"><tr><td><img src="/images/top.jpg" alt="" /></td></tr>
<tr><td class="nav"><a href="/">网站首页</a> | <a href="/gkml/index.aspx">政府信息公开</a> |
<a href="/gkml/list.aspx?ClassID=23">工作动态</a></td></tr></table>"""


def _page(url: str, content: str) -> Page:
    return Page(url, f"<html><body><form>{TOP}<table width='1000'><tr>{TREE}"
                     f"<td valign='top' class='right'>{content}</td></tr></table></form></body></html>")


UNITS_ROW = ('<tr><td><a href="index.aspx?unitid=12">区民政局</a></td>'
             '<td><a href="index.aspx?unitid=31">文昌街道</a></td></tr>')
UNITS_TABLES = {
    "spanning cell": f"""<table class="bmml"><tr><td class="bmtitle" colspan="2">部门信息公开目录</td></tr>
{UNITS_ROW}</table>""",
    "th in thead": f"""<table><thead><tr><th colspan="2">部门信息公开目录</th></tr></thead><tbody>
{UNITS_ROW}</tbody></table>""",
}


@pytest.mark.parametrize("table", UNITS_TABLES.values(), ids=UNITS_TABLES.keys())
def test_heading_row_of_the_links_own_table_names_them_units(table):
    page = _page(BASE + "index.aspx", '<table class="newbox"><tr><td>最新公开信息</td></tr></table>' + table)
    links = {link.name: link for link in find_column_links(page.url, page)}
    assert links["区民政局"].kind == "unit" and links["区民政局"].unit_kind == "department"
    assert links["文昌街道"].kind == "unit" and links["文昌街道"].unit_kind == "town"
    assert links["区民政局"].path == ["部门信息公开目录"]
    assert links["政府文件"].kind == "column"


def test_a_compound_title_class_marks_the_heading_cell():
    """bmtitle / lmtitle: a title class word without a separator (the cell spans nothing)."""
    table = f"""<table class="bmml"><tr><td class="bmtitle">部门信息公开目录</td><td></td></tr>
{UNITS_ROW}</table>"""
    page = _page(BASE + "index.aspx", table)
    links = {link.name: link for link in find_column_links(page.url, page)}
    assert links["区民政局"].kind == "unit"
    assert links["文昌街道"].kind == "unit"


GRID = """<div class="coltitle">机构职能</div>
<table class="GridView1" cellspacing="0" rules="all" border="1" id="GridView1" width="100%">
<tr class="GridHeader"><th scope="col">序号</th><th scope="col">索引号</th><th scope="col">名称</th>
<th scope="col">生成日期</th></tr>
{rows}</table>"""
ROW = ('<tr><td align="center">{n}</td><td>113701130041803282/2023-0000{n}</td>'
       '<td><a href="show.aspx?id={id}" target="_blank" title="{title}">{title}</a></td>'
       '<td align="center">{date}</td></tr>\n')
TITLES = {1042: "区政府领导分工", 1041: "示例区人民政府主要职责", 1043: "区政府办公室内设机构"}


def _grid(dates) -> Page:
    rows = "".join(ROW.format(n=n, id=i, title=t, date=d)
                   for n, ((i, t), d) in enumerate(zip(TITLES.items(), dates), 1))
    return _page(BASE + "list.aspx?ClassID=21", GRID.format(rows=rows))


def test_undated_table_headed_as_a_list_is_a_list_of_its_documents():
    page = _grid(["", "", ""])
    assert classify_page(page.url, page) == "list"
    found = read_list(page.url, page)
    assert found is not None
    assert [e.url for e in found.entries] == [BASE + f"show.aspx?id={i}" for i in TITLES]
    assert [e.title for e in found.entries] == list(TITLES.values())
    assert all(e.date is None for e in found.entries)
    # its documents are entries, not columns; the catalogue tree's links still are columns
    columns = {link.url for link in find_column_links(page.url, page)}
    assert not any("show.aspx" in url for url in columns)
    assert BASE + "list.aspx?ClassID=22" in columns


def test_a_headed_table_keeps_its_undated_rows_beside_dated_ones():
    found = read_list(BASE + "list.aspx?ClassID=21", _grid(["2023-02-10", "", "2021-03-02"]))
    assert found is not None
    assert [e.url for e in found.entries] == [BASE + f"show.aspx?id={i}" for i in TITLES]
    assert [e.date for e in found.entries] == ["2023-02-10", None, "2021-03-02"]
