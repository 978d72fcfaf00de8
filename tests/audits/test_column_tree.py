"""The column tree is decided from each column's own page (breadcrumb, URL nesting, highlighted
navigation), not from the page that linked it first; a column's role comes from its own name."""
from audits.config import merged_config
from audits.tree import decide_parents
from audits.views import column_classes

from tests.audits.conftest import POLICY_FIELDS

AS_OF = "2023-11-30"
S = "http://site.test/gongkai/"
FDZD, ZCWJ, ZCJD = S + "fdzd/", S + "zcwj/", S + "zcjd/"
POLICY = {"县政府文件": S + "xzfwj/", "县政府办公室文件": S + "xzfbwj/", "行政规范性文件": S + "gfxwj/"}


def crumbs(*steps):
    return {"breadcrumb": [{"name": "首页", "url": "http://site.test/"}, {"name": "信息公开", "url": S}]
            + [{"name": n, "url": u} for n, u in steps]}


def sidebar_site(site):
    """政策解读 was crawled first; its sidebar lists the policy columns, so the crawl reached them
    from 政策解读.  Their own breadcrumbs name 政策文件."""
    site.column(FDZD, "法定主动公开内容", kind="hub", is_leaf=False, nav=crumbs(("法定主动公开内容", FDZD)))
    site.column(ZCJD, "政策解读", parent=FDZD, is_leaf=False, nav=crumbs(("法定主动公开内容", FDZD), ("政策解读", ZCJD)))
    site.column(ZCWJ, "政策文件", parent=FDZD, kind="list",
                nav=crumbs(("法定主动公开内容", FDZD), ("政策文件", ZCWJ)))
    for n, (name, url) in enumerate(POLICY.items()):
        site.column(url, name, parent=ZCJD, nav=crumbs(("法定主动公开内容", FDZD), ("政策文件", ZCWJ), (name, url)))
        for k in (1, 2):
            site.listed_doc(url, f"http://site.test/d/{n}{k}", f"某县人民政府关于第{n}{k}项工作的意见",
                            fields={**POLICY_FIELDS, "发文字号": f"某政发〔2023〕{n}{k}号"})
    return site


def test_the_breadcrumb_wins_over_the_sidebar_that_linked_the_column_first(site):
    cols = column_classes(sidebar_site(site).snapshot(), merged_config({}))
    for url in POLICY.values():
        assert cols.loc[url, "parent_url"] == ZCWJ and cols.loc[url, "parent_evidence"] == "breadcrumb"
        assert cols.loc[url, "linked_parent_url"] == ZCJD
        assert cols.loc[url, "policy"] and not cols.loc[url, "interp"]
    assert not cols.loc[ZCWJ, "leaf"] and cols.loc[ZCJD, "leaf"]     # 政策解读 led to them, holds none
    assert cols.loc[POLICY["县政府文件"], "path"] == "法定主动公开内容/政策文件/县政府文件"


def test_policy_documents_reached_through_a_jiedu_sidebar_still_need_their_jiedu(site):
    found = sidebar_site(site).findings("missing_interpretation", AS_OF)
    assert len(found) == 6
    # 政策文件 is a hub by the tree; 政策解读, which lists nothing, is the one empty column.
    assert [f.url for f in site.findings("empty_column", AS_OF)] == [ZCJD]


def row(url, name, parent=None, nav=None, unit=None):
    return {"url": url, "name": name, "unit": unit, "parent_url": parent, "nav": nav, "path": name}


def test_url_nesting_then_the_highlighted_navigation_item_then_the_linking_page():
    rows = [row("http://x.test/xxgk/zcwj/", "政策文件"), row("http://x.test/xxgk/zcjd/", "政策解读"),
            row("http://x.test/xxgk/zcwj/qzfwj/", "区政府文件", parent="http://x.test/xxgk/zcjd/"),
            row("http://x.test/c/1.html", "通知公告", parent="http://x.test/xxgk/zcjd/",
                nav={"highlight": {"name": "通知公告", "url": "http://x.test/c/1.html", "group": "政策文件"}}),
            row("http://x.test/c/2.html", "工作动态", parent="http://x.test/xxgk/zcjd/"),
            {**row("http://x.test/c/3.html", "人事信息"), "path": "政策文件/人事信息"}]
    decided = decide_parents(rows)
    assert decided["http://x.test/xxgk/zcwj/qzfwj/"] == ("http://x.test/xxgk/zcwj/", "url")
    assert decided["http://x.test/c/1.html"] == ("http://x.test/xxgk/zcwj/", "nav")
    assert decided["http://x.test/c/2.html"] == ("http://x.test/xxgk/zcjd/", "linked")
    assert decided["http://x.test/c/3.html"] == ("http://x.test/xxgk/zcwj/", "tree")


def test_a_breadcrumb_step_that_is_no_column_makes_a_top_level_column_and_cycles_fall_back():
    a, b = "http://x.test/a/", "http://x.test/b/"
    rows = [row(a, "甲", parent=None, nav={"breadcrumb": [{"name": "信息公开", "url": "http://x.test/"},
                                                          {"name": "甲", "url": a}]}),
            row(b, "乙", parent=a, nav={"breadcrumb": [{"name": "丙", "url": "http://x.test/c/"}]})]
    assert decide_parents(rows)[a] == ("http://x.test/", "breadcrumb")
    assert decide_parents(rows)[b] == (a, "linked")        # its trail does not show it
    loop = [row(a, "甲", parent=None, nav={"breadcrumb": [{"name": "乙", "url": b}, {"name": "甲", "url": a}]}),
            row(b, "乙", parent=a, nav={"breadcrumb": [{"name": "甲", "url": a}, {"name": "乙", "url": b}]})]
    decided = decide_parents(loop)
    assert {decided[a][1], decided[b][1]} & {"linked"}


def test_a_units_column_reached_from_the_district_first_belongs_to_the_unit_its_breadcrumb_names(site):
    """The district's homepage box 部门动态 led to a department's columns before its 信息公开 home
    was crawled, so the crawl stored them under the district, as portal columns."""
    home, dept = "http://site.test/", "http://site.test/xxgk/unit.jsp?uid=7"
    bmwj, own = "http://site.test/xxgk/list.jsp?cid=703&uid=7", "http://site.test/xxgk/list.jsp?cid=12"
    site.unit("某县人民政府", kind="district", home_url=S).unit("市场监督管理局", home_url=dept)
    trail = [{"name": "首页", "url": home}, {"name": "信息公开", "url": S}]
    site.column(bmwj, "部门文件", unit="某县人民政府", section="portal",
                nav={"via": "homepage", "top": "部门动态",
                     "breadcrumb": [*trail, {"name": "市场监督管理局", "url": dept}, {"name": "部门文件", "url": bmwj}]})
    site.column(own, "政策文件", unit="某县人民政府",
                nav={"breadcrumb": [*trail, {"name": "政策文件", "url": own}]})
    site.listed_doc(bmwj, "http://site.test/xxgk/detail.jsp?id=715", "某县市场监督管理局关于印发抽查计划的通知",
                    fields={k: v for k, v in POLICY_FIELDS.items() if k != "有效性"})
    cols = column_classes(site.snapshot(), merged_config({}))
    assert (cols.loc[bmwj, "unit"], cols.loc[bmwj, "section"]) == ("市场监督管理局", "gongkai")
    assert cols.loc[own, "unit"] == "某县人民政府", "the district's home in every trail decides nothing"
    found = site.findings("missing_element", AS_OF)
    assert [(f.unit, f.field) for f in found] == [("市场监督管理局", "有效性")]


def test_a_column_first_reached_from_the_homepage_menu_is_gongkai_when_its_breadcrumb_passes_the_platform(site):
    home = "http://site.test/"
    gzdt, news = "http://site.test/col/col1237/index.html", "http://site.test/xwzx/gzdt/"
    site.unit("某区人民政府", kind="district", home_url=S)
    site.column(gzdt, "工作动态", unit="某区人民政府", section="portal",
                nav={"via": "homepage", "top": "工作动态", "breadcrumb": [
                    {"name": "首页", "url": home}, {"name": "政务公开", "url": S}, {"name": "工作动态", "url": gzdt}]})
    site.column(news, "工作动态", unit="某区人民政府", section="portal",
                nav={"via": "homepage", "top": "新闻中心", "breadcrumb": [
                    {"name": "首页", "url": home}, {"name": "新闻中心", "url": "http://site.test/xwzx/"},
                    {"name": "工作动态", "url": news}]})
    cols = column_classes(site.snapshot(), merged_config({}))
    assert (cols.loc[gzdt, "section"], cols.loc[news, "section"]) == ("gongkai", "portal")
    assert cols.loc[gzdt, "unit"] == "某区人民政府"


def test_a_menu_header_that_opens_its_first_child_is_no_parent(site):
    """<a href=tzgg>法定主动公开内容</a><ul><li><a href=tzgg>通知公告</a>…: the header has no page of
    its own, so the breadcrumbs show it at 通知公告's URL.  通知公告 is no parent of 部门文件, and
    stays a leaf whose staleness is judged."""
    tzgg, bmwj = S + "003001/", S + "003002/"
    header = ("法定主动公开内容", tzgg)
    site.column(tzgg, "通知公告", nav=crumbs(header, ("通知公告", tzgg)))
    site.column(bmwj, "部门文件", nav=crumbs(header, ("部门文件", bmwj)))
    site.listed_doc(tzgg, "http://site.test/d/1", "关于开展爱国卫生月活动的通知", fields={"发布日期": "2023-04-18"})
    site.listed_doc(bmwj, "http://site.test/d/2", "关于印发实施方案的通知", fields={"发布日期": "2023-08-15"})
    cols = column_classes(site.snapshot(), merged_config({}))
    assert cols.loc[bmwj, "parent_url"] != tzgg and cols.loc[tzgg, "leaf"]
    assert [f.url for f in site.findings("stale_column", AS_OF)] == [tzgg]


def test_a_slide_article_crawled_as_a_column_does_not_make_its_list_a_parent(site):
    """A homepage slider links picture-news articles with no date beside them, so the crawl
    follows them as columns; their URLs nest under 今日要闻, which lists them.  They are that
    list's entries, not its sub-columns: 今日要闻 stays a leaf and its staleness is judged."""
    jryw = "http://site.test/xwzx/jryw/"
    art = jryw + "202311/t20231105_101.html"
    site.column(jryw, "今日要闻")
    site.column(art, "区委常委会召开会议", kind="single", parent="http://site.test/")
    site.listed_doc(jryw, art, "区委常委会召开会议", fields={"发布日期": "2023-11-05"})
    cols = column_classes(site.snapshot(), merged_config({}))
    assert cols.loc[art, "parent_url"] == jryw
    assert cols.loc[jryw, "leaf"]
    assert [f.url for f in site.findings("stale_column", AS_OF)] == [jryw]
