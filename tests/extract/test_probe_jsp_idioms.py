"""Idioms of a JSP-style 信息公开 platform (query-string URLs): an empty column page whose unit
sidebar of column links must not be read as the column's list."""
from crawler.listing import read_list
from extract_fixtures import wrap

BASE = "http://xxgk.example.gov.cn"
PAGE = BASE + "/xxgk/list.jsp?cid=904&uid=9"


def sidebar(on="on", own=True):
    """A unit's column tree: 3 sibling columns and the page's own (highlighted with class ``on``)."""
    items = [f'<li><a href="/xxgk/list.jsp?cid=90{i}&uid=9">栏目{i}</a></li>' for i in (1, 2, 3)]
    href = "/xxgk/list.jsp?cid=904&uid=9" if own else "/xxgk/list.jsp?uid=9&cid=904&page=1"
    cls = f' class="{on}"' if on else ""
    items.append(f'<li{cls}><a href="{href}">财政资金</a></li>')
    return f'<div class="left"><div class="lm-title">埠村街道</div><ul class="tree">{"".join(items)}</ul></div>'


def empty_column(tree, pager="共 0 条 第1/1页"):
    return wrap(f'{tree}<div class="right"><div class="lm-name"><span>财政资金</span></div>'
                f'<ul class="list"><li class="nodata">暂无信息</li></ul><div class="page">{pager}</div></div>')


def assert_empty(page):
    assert page is not None and page.entries == [] and page.placeholder == "暂无信息", page


def test_empty_column_page_is_not_read_as_its_sidebar():
    # the probe's page: own link, <li class="on"> and 共 0 条 all say the sidebar is no list
    assert_empty(read_list(PAGE, empty_column(sidebar())))


def test_a_group_linking_to_the_page_itself_is_navigation():
    assert_empty(read_list(PAGE, empty_column(sidebar(on=None), pager="第1/1页")))


def test_a_group_with_a_highlighted_current_item_is_navigation():
    for cls in ("on", "cur", "current", "active", "selected"):
        assert_empty(read_list(PAGE, empty_column(sidebar(on=cls, own=False), pager="第1/1页")))


def test_a_pager_saying_0_records_means_an_empty_list():
    assert_empty(read_list(PAGE, empty_column(sidebar(on=None, own=False), pager="共0条记录 第1/1页")))


def test_an_undated_list_beside_a_longer_sidebar_still_reads():
    # 机构职能-style documents without dates, beside a unit tree longer than the list
    tree = sidebar().replace("</ul>", '<li><a href="/xxgk/list.jsp?cid=905&uid=9">栏目5</a></li></ul>')
    docs = "".join(f'<li><a href="/xxgk/detail.jsp?id=71{i}" title="埠村街道办事处第{i}项职责">埠村街道办事处第{i}项职责</a></li>'
                   for i in (1, 2, 3))
    page = read_list(PAGE, wrap(f'{tree}<div class="right"><ul class="list">{docs}</ul>'
                                f'<div class="page">共 3 条 第1/1页</div></div>'))
    assert page is not None and page.style == "plain_next"
    assert [e.url for e in page.entries] == [BASE + f"/xxgk/detail.jsp?id=71{i}" for i in (1, 2, 3)]
