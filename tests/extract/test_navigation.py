"""Discovery: column links with their groups, unit sub-sites, the 信息公开 entry, page kinds."""
import pytest

from crawler.extract.navigation import find_column_links, find_gongkai_entry
from crawler.listing import classify_page
from extract_fixtures import BASE, load, wrap


def links_by_name(url, html):
    return {l.name: l for l in find_column_links(url, html)}


def test_gongkai_hub_catalogue_tree_and_units():
    links = links_by_name(BASE + "/gongkai/", load("hub_gongkai.html"))
    assert links["区政府文件"].path == ["政府信息公开目录", "法定主动公开内容", "政策文件"]
    assert links["区政府文件"].group == "政策文件"
    assert links["政策文件"].group == "法定主动公开内容"
    assert links["政府信息公开指南"].path == ["政府信息公开目录"]
    assert links["区政府文件"].url == BASE + "/gongkai/channel_c1/"
    units = {n: l for n, l in links.items() if l.is_unit}
    assert set(units) == {"区财政局", "区教体局", "区政府办公室", "白云湖街道", "官庄镇"}
    assert units["区财政局"].group == "部门信息公开" and units["区财政局"].unit_kind == "department"
    assert units["官庄镇"].unit_kind == "town" and units["白云湖街道"].unit_kind == "town"
    assert links["重点领域信息公开"].group == "专题"
    # documents of the "最新公开" box, footer links, the page itself and 首页 are not columns
    assert "某区人民政府关于印发某办法的通知" not in links
    assert "联系我们" not in links and "首页" not in links and "政府信息公开" not in links
    assert not any(l.is_unit for n, l in links.items() if n not in units)


def test_homepage_more_links_take_their_box_heading():
    links = find_column_links(BASE + "/", load("home.html"))
    by_url = {l.url: l for l in links}
    assert by_url[BASE + "/col/col1/index.html"].name == "要闻动态"
    assert by_url[BASE + "/col/col2/index.html"].name == "通知公告"
    assert by_url[BASE + "/gongkai/"].name == "政府信息公开"
    assert by_url[BASE + "/gongkai/"].region == "nav"
    assert not any("/art/" in u for u in by_url)                    # dated items are documents
    assert BASE + "/sitemap/" not in by_url


def test_gongkai_entry_of_a_homepage():
    e = find_gongkai_entry(BASE + "/", load("home.html"))
    assert e.url == BASE + "/gongkai/" and e.name == "政府信息公开"
    e = find_gongkai_entry(BASE + "/", wrap("<a href='/zwgk/'>政务公开</a><a href='/xxgk/index.html'>信息公开</a>"))
    assert e.url == BASE + "/xxgk/index.html"
    assert find_gongkai_entry(BASE + "/", wrap("<a href='/a'>首页</a>")) is None


def test_other_hosts_are_not_columns_by_default():
    html = wrap("<ul class='nav'><li><a href='http://other.gov.cn/col/1/'>外站栏目</a></li>"
                "<li><a href='/col/2/'>本站栏目</a></li></ul>")
    assert [l.name for l in find_column_links(BASE + "/", html)] == ["本站栏目"]
    assert len(find_column_links(BASE + "/", html, same_host=False)) == 2


@pytest.mark.parametrize("name, url, kind", [
    ("doc_xxgk_table.html", "/gongkai/channel_5/doc_1.html", "document"),
    ("doc_p_strong.html", "/xxgk/t20200802_1.html", "document"),
    ("doc_no_meta.html", "/art/2023/11/10/art_1_1.html", "document"),
    ("list_generic_table.html", "/gongkai/gfxwj/", "list"),
    ("list_hanweb.html", "/col/col33718/index.html", "list"),
    ("list_trs.html", "/xxgk/index.html", "list"),
    ("list_jsshell.html", "/gongkai/channel_6389/", "list"),
    ("list_placeholder.html", "/gongkai/zdxm/", "list"),
    ("list_plain_p1.html", "/dt/list.html", "list"),
    ("hub_gongkai.html", "/gongkai/", "hub"),
    ("soft404.html", "/x.html", "other"),
])
def test_classify_page(name, url, kind):
    assert classify_page(BASE + url, load(name)) == kind


def _box(slug, name, n, date_in_link=True):
    entries = "".join(
        f'<li><a href="./{slug}/202310/t2023100{i}_{i}.shtml">{name}工作动态第{i}条...'
        + (f'<span class="time">10.0{i}</span></a></li>' if date_in_link else f'</a><span>10.0{i}</span></li>')
        for i in range(1, n + 1))
    return (f'<div class="box"><div class="box_hd"><div class="text">{name}</div>'
            f'<a class="more" href="./{slug}/"></a></div><div class="bd"><ul>{entries}</ul></div></div>')


BOX_NAMES = [("qyly", "全域旅游"), ("ws", "文明旅游"), ("scjg", "市场监管"), ("lytz", "旅游投资")]


def test_a_textless_more_link_is_named_by_the_label_beside_it_and_dated_links_are_entries():
    """国家旅游局 重点工作 idiom: each box has a heading and an empty <a class="more"> (an image),
    then entries whose date sits inside the link (<a>标题<span>10.11</span></a>)."""
    html = wrap("".join(_box(slug, name, 6) for slug, name in BOX_NAMES))
    links = find_column_links(BASE + "/zdgz/", html)
    assert {l.name: l.url for l in links} == {name: f"{BASE}/zdgz/{slug}/" for slug, name in BOX_NAMES}
    assert all(l.boxed for l in links)
    assert classify_page(BASE + "/zdgz/", html) == "hub"


def test_a_column_page_with_more_boxes_in_its_sidebar_stays_a_list():
    main = "".join(f'<li><a href="/col/art/2023/10/{i}/art_{i}.html">关于第{i}项工作的通知</a>'
                   f'<span>2023-10-{i:02d}</span></li>' for i in range(1, 21))
    side = "".join(_box(slug, name, 3, date_in_link=False) for slug, name in BOX_NAMES[:3])
    html = wrap(f'<div class="main"><ul class="list">{main}</ul></div><div class="side">{side}</div>')
    assert classify_page(BASE + "/col/col1/index.html", html) == "list"


DIRECTORY_PAGE = ("<div class='left'><h2>政府信息公开</h2><ul><li><a href='/zwgk/gzdt/'>工作动态</a></li>"
                  "<li><a href='/zwgk/bgs/'>区政府办公室</a></li></ul></div>"
                  "<div class='right'><ul class='unit-list'><li><a href='/bm/fgj/'>区发展和改革局</a></li>"
                  "<li><a href='/jd/ms/'>明水街道办事处</a></li><li><a href='/zwgk/ysq/'>依申请公开</a></li></ul></div>")


@pytest.mark.parametrize("column, units", [
    ("部门信息公开", {"区发展和改革局", "明水街道办事处"}), ("镇街", {"区发展和改革局", "明水街道办事处"}),
    ("机构职能", set()), ("街道动态", set()), (None, set()),
])
def test_a_directory_columns_own_name_heads_its_unheaded_list(column, units):
    from crawler.extract.navigation import mark_directory_units
    links = mark_directory_units(find_column_links(BASE + "/zwgk/bmxxgk/", wrap(DIRECTORY_PAGE)), column)
    found = {l.name: l for l in links if l.is_unit}
    assert set(found) == units           # never the menu's 区政府办公室, never 依申请公开
    if units:
        assert found["明水街道办事处"].unit_kind == "town" and found["区发展和改革局"].unit_kind == "department"
