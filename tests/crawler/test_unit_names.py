"""The district's own unit is named after its organisation, never after the platform's heading
above the catalogue tree (政府信息公开平台, 信息公开目录): that name goes on every finding."""
import pytest

from crawler_helpers import crawl_into
from fixture_site import Answer, FixtureSite

from crawler.discovery import organisation_name
from crawler.sitetree import home_unit, site_name_from_title
from govaudit.core import storage

HOME = "http://site.test/xxgk/index.html"
TREE = ('<li><a href="/xxgk/zn/">政府信息公开指南</a></li>'
        '<li><a href="/xxgk/fdzdgknr/">法定主动公开内容</a><ul><li><a href="/xxgk/fdzdgknr/tzgg/">通知公告</a></li>'
        '<li><a href="/xxgk/fdzdgknr/rsxx/">人事信息</a></li></ul></li>'
        '<li><a href="/xxgk/zcwj/">政策文件</a><ul><li><a href="/xxgk/zcwj/xzfwj/">县政府文件</a></li></ul></li>'
        '<li><a href="/xxgk/zcjd/">政策解读</a></li>')


def page(heading, title="政府信息公开_济南市章丘区人民政府"):
    return (f'<html><head><title>{title}</title></head><body><div class="xxgk_pt">'
            f'<div class="pt_tit">{heading}</div><ul class="pt_lm">{TREE}</ul></div></body></html>')


def district(html, site_name="济南市章丘区人民政府", profile=None):
    unit = home_unit(None, HOME, html, profile or {}, None, site_name)
    assert unit["kind"] == "district" and unit["home_url"] == HOME
    return unit["name"]


@pytest.mark.parametrize("heading", ["政府信息公开平台", "信息公开目录", "政务公开", "政府信息公开", "公开目录",
                                     "栏目导航", "目录"])
def test_a_platform_heading_is_no_organisation_the_sites_name_is_used(heading):
    assert district(page(heading)) == "济南市章丘区人民政府"


def test_a_lm_title_over_a_tree_list_is_no_organisation_either():
    html = ('<html><head><title>章丘县人民政府</title></head><body><div class="left"><div class="lm-title">信息公开目录'
            f'</div><ul class="tree">{TREE}</ul></div></body></html>')
    assert district(html, site_name="章丘县人民政府") == "章丘县人民政府"


def test_without_an_organisation_in_the_site_name_the_pages_title_names_it():
    assert district(page("政府信息公开平台"), site_name="首页") == "济南市章丘区人民政府"


def test_the_profiles_site_name_stands_in_for_a_platform_heading():
    assert district(page("信息公开目录"), profile={"site_name": "章丘区政府"}) == "章丘区政府"


def test_an_organisation_heading_names_the_unit():
    # The simulator's platform: the tree hangs under the district's own name (tests/sitesim).
    assert district(page("章丘区人民政府")) == "章丘区人民政府"
    assert district(page("章丘县人民政府政府信息公开平台")) == "章丘县人民政府"


@pytest.mark.parametrize("text, name", [
    ("政府信息公开平台", None), ("信息公开目录", None), ("政务公开", None), ("导航", None), ("区政府", None),
    ("人民政府", None), ("政务公开办", None), ("法定主动公开内容", None), ("政策文件", None),
    ("济南市章丘区人民政府", "济南市章丘区人民政府"), ("章丘县人民政府信息公开", "章丘县人民政府"),
    ("济南市章丘区人民政府门户网站", "济南市章丘区人民政府"), ("区教育和体育局", "区教育和体育局"),
    ("埠村街道办事处", "埠村街道办事处"), ("明水街道", "明水街道"), ("区发改委", "区发改委"),
    ("区政府办公室", "区政府办公室"), ("区教体局 政务公开", "区教体局"), ("官庄镇", "官庄镇"),
])
def test_organisation_name(text, name):
    assert organisation_name(text) == name


@pytest.mark.parametrize("title, name", [
    ("首页 - 济南市章丘区人民政府", "济南市章丘区人民政府"),
    ("济南市章丘区人民政府门户网站_首页", "济南市章丘区人民政府"),
    ("欢迎访问章丘区政府网站", "章丘区政府"),
    ("中国·章丘", "中国·章丘"),
    ("中国章丘网-首页", "中国章丘网"),
    ("首页", None),
])
def test_the_sites_name_is_the_part_of_the_homepage_title_that_names_it(title, name):
    # The first part of "首页 - 某区人民政府" is the page's word, not the site's name.
    assert site_name_from_title(title) == name


def _crawl(tmp_path, pages: dict[str, str]):
    """(site, snapshot) of a crawl of ``pages`` (path -> HTML) over loopback HTTP, links unchecked."""
    site = FixtureSite({path: Answer(html) for path, html in pages.items()})
    try:
        return site, crawl_into(tmp_path, site.url, settings={"GOVAUDIT_LINK_CHECK": False})
    finally:
        site.stop()


def _assert_units_crawled(site, snap, unit: str, home: str, column: str, other_home: str) -> dict:
    """``unit`` was found at ``home`` and owns ``column``; the listed ``other_home`` (a 404) was
    asked for too.  The units found, by name."""
    units = {u["name"]: u for u in snap.rows(storage.unit)}
    assert units[unit]["home_url"] == site.url + home.lstrip("/")
    assert snap.by_url(storage.column)[site.url + column.lstrip("/")]["unit"] == unit
    assert other_home in site.paths("GET"), "the other unit's home is asked for too (it answers 404)"
    return units


def test_a_directory_of_units_homes_is_a_hub_not_a_blank_column(tmp_path):
    # A Ucap 部门信息公开 page reached from the homepage: it lists the departments' 信息公开 homes.
    home = ("<html><head><title>某县人民政府</title></head><body><ul class='nav'>"
            "<li><a href='/zwgk/'>政务公开</a></li></ul></body></html>")
    platform = ("<html><head><title>政务公开_某县人民政府</title></head><body><div class='xxgk-nav'><h3>政府信息公开</h3>"
                "<ul><li><a href='/zwgk/tzgg/'>通知公告</a></li><li><a href='/zwgk/bm/'>部门信息公开</a></li></ul>"
                "</div></body></html>")
    notices = ("<html><body><ul class='list'><li><a href='/zwgk/tzgg/1.html'>关于某事的通知</a>"
               "<span>2023-11-20</span></li></ul></body></html>")
    directory = ("<html><head><title>部门信息公开_某县人民政府</title></head><body><div class='bt-crumbs'>"
                 "<a href='/'>首页</a> » <a href='/zwgk/bm/'>部门信息公开</a></div>"
                 "<div class='xxgk-box'><h3>部门</h3><ul><li><a href='/zwgk/bm/jytj/'>某县教育体育局</a></li>"
                 "<li><a href='/zwgk/bm/wjw/'>某县卫生健康委员会</a></li></ul></div></body></html>")
    site, snap = _crawl(tmp_path, {"/": home, "/zwgk/": platform, "/zwgk/tzgg/": notices, "/zwgk/bm/": directory})
    assert snap.by_url(storage.column)[site.url + "zwgk/bm/"]["kind"] == "hub"


def test_the_units_a_directory_column_lists_are_crawled_as_units(tmp_path):
    # A DedeCMS county platform: its tree leads to a 部门信息公开 page (a column of the platform's
    # own tree, not its home), which lists the departments' homes; each unit and its columns are read.
    home = ("<html><head><title>某县人民政府</title></head><body><table><tr>"
            "<td><a href='/a/xxgk/'>政府信息公开</a></td></tr></table></body></html>")
    tree = ("<ul class='lmenu'><li><a href='/a/xxgk/tzgg/'>通知公告</a></li>"
            "<li><a href='/a/xxgk/bmgk/'>部门信息公开</a></li></ul>")
    platform = f"<html><head><title>政府信息公开_某县人民政府</title></head><body>{tree}</body></html>"
    notices = (f"<html><body>{tree}<ul class='e2'><li><a href='/a/xxgk/tzgg/2023/1120/1.html'>关于某事的通知</a>"
               "<span>[2023-11-20]</span></li></ul></body></html>")
    directory = (f"<html><head><title>部门信息公开_某县人民政府</title></head><body>{tree}"
                 "<div class='place'>当前位置: <a href='/'>首页</a> &gt; <a href='/a/xxgk/'>政府信息公开</a> &gt; "
                 "<a href='/a/xxgk/bmgk/'>部门信息公开</a></div><div class='listbox'><div class='ltitle'>"
                 "<strong>部门信息公开</strong></div><table><tr><td><a href='/bm/jtj/'>县交通运输局</a></td>"
                 "<td><a href='/bm/jyj/'>县教育和体育局</a></td></tr></table></div></body></html>")
    unit_home = ("<html><head><title>县交通运输局</title></head><body><ul class='lmenu'>"
                 "<li><a href='/bm/jtj/tzgg/'>通知公告</a></li><li><a href='/bm/jtj/czzj/'>财政资金</a></li></ul></body></html>")
    unit_notices = ("<html><body><ul class='e2'><li><a href='/bm/jtj/tzgg/2023/0310/2.html'>交通管制的通告</a>"
                    "<span>[2023-03-10]</span></li></ul></body></html>")
    site, snap = _crawl(tmp_path, {"/": home, "/a/xxgk/": platform, "/a/xxgk/tzgg/": notices, "/a/xxgk/bmgk/": directory,
                                   "/bm/jtj/": unit_home, "/bm/jtj/tzgg/": unit_notices})
    assert snap.by_url(storage.column)[site.url + "a/xxgk/bmgk/"]["kind"] == "hub"
    _assert_units_crawled(site, snap, "县交通运输局", "/bm/jtj/", "/bm/jtj/tzgg/", "/bm/jyj/")
    assert snap.by_url(storage.list_item, key="url")[site.url + "bm/jtj/tzgg/2023/0310/2.html"]["date"] == "2023-03-10"


def test_a_directory_column_without_a_heading_over_its_list_still_lists_units(tmp_path):
    # The 部门信息公开 column's own page: its name is in the crumbs and the menu, and the list of
    # the departments' homes below carries no heading of its own (no 部门 / 区直单位 box title).
    tree = ("<div class='left'><h2>政府信息公开</h2><ul><li><a href='/zwgk/gzdt/'>工作动态</a></li>"
            "<li><a href='/zwgk/bmxxgk/'>部门信息公开</a></li><li><a href='/zwgk/zcjd/'>区政府办公室</a></li></ul></div>")
    home = ("<html><head><title>某区人民政府</title></head><body><ul class='nav'>"
            "<li><a href='/zwgk/'>政府信息公开</a></li></ul></body></html>")
    platform = f"<html><head><title>政府信息公开_某区人民政府</title></head><body>{tree}</body></html>"
    news = (f"<html><body>{tree}<ul class='list'><li><a href='/zwgk/gzdt/1.html'>区政府召开常务会议</a>"
            "<span>2023-11-28</span></li></ul></body></html>")
    directory = (f"<html><head><title>部门信息公开_某区人民政府</title></head><body>{tree}"
                 "<div class='crumb'>您现在的位置：<a href='/'>首页</a> &gt; <a href='/zwgk/'>政府信息公开</a> &gt; "
                 "<a href='/zwgk/bmxxgk/'>部门信息公开</a></div><div class='right'><ul class='unit-list'>"
                 "<li><a href='/zwgk/bmxxgk/qfgj/'>某区发展和改革局</a></li>"
                 "<li><a href='/zwgk/bmxxgk/qczj/'>某区财政局</a></li></ul></div></body></html>")
    unit_home = ("<html><head><title>某区发展和改革局</title></head><body><div class='left'><h2>某区发展和改革局</h2><ul>"
                 "<li><a href='/zwgk/bmxxgk/qfgj/zcwj/'>政策文件</a></li></ul></div></body></html>")
    unit_docs = ("<html><body><ul class='list'><li><a href='/zwgk/bmxxgk/qfgj/zcwj/1.html'>关于做好粮食收购工作的通知</a>"
                 "<span>2023-06-28</span></li></ul></body></html>")
    site, snap = _crawl(tmp_path, {"/": home, "/zwgk/": platform, "/zwgk/gzdt/": news, "/zwgk/bmxxgk/": directory,
                                   "/zwgk/bmxxgk/qfgj/": unit_home, "/zwgk/bmxxgk/qfgj/zcwj/": unit_docs})
    units = _assert_units_crawled(site, snap, "某区发展和改革局", "/zwgk/bmxxgk/qfgj/", "/zwgk/bmxxgk/qfgj/zcwj/",
                                  "/zwgk/bmxxgk/qczj/")
    assert units["某区发展和改革局"]["kind"] == "department"
    # The menu's own entries stay columns, whatever their names end with.
    assert "区政府办公室" not in units
