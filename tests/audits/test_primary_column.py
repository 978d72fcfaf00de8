"""The column a document listed in several is filed under (document_view's ``column``): the
strictest requirement wins; among equals the leaf it lives in, not the parent column's summary
page that also shows it (a box per sub-column with its newest items), then a unit's own column."""
from audits.config import merged_config
from audits.docparts import document_view
from tests.audits.conftest import POLICY_FIELDS

AS_OF = "2023-11-30"
ZCWJ = "http://site.test/list?cid=12"          # 政策文件: a summary page of its sub-columns' newest items
QZFWJ = "http://site.test/list?cid=121"        # 县政府文件, under it
FDZD = "http://site.test/list?cid=11"          # 法定主动公开内容: likewise
TZGG = "http://site.test/list?cid=112"         # 通知公告, under it
JD = "http://site.test/list?cid=13"            # 政策解读
BASIC = {k: POLICY_FIELDS[k] for k in ("索引号", "发文机关", "发布日期")}


def filed(site, url):
    row = document_view(site.snapshot(), merged_config()).loc[url]
    return row["column_url"], row["column"]


def summary_and_leaf(site):
    # Query-string URLs say nothing of nesting: the crawl's linking page is the parent.
    site.unit("章丘县人民政府", kind="district")
    site.column(ZCWJ, "政策文件", is_leaf=False)
    site.column(QZFWJ, "县政府文件", parent=ZCWJ)
    site.column(FDZD, "法定主动公开内容", is_leaf=False)
    site.column(TZGG, "通知公告", parent=FDZD)
    return site


def test_a_policy_document_on_its_parents_summary_page_is_filed_under_its_leaf(site):
    summary_and_leaf(site)
    # The summary page's list items are stored first, as a crawl reaching the parent first does.
    site.item(ZCWJ, "http://site.test/d/203", "县政府关于某事项的通知", date="2023-05-06")
    site.listed_doc(QZFWJ, "http://site.test/d/203", "县政府关于某事项的通知", fields=POLICY_FIELDS)
    assert filed(site, "http://site.test/d/203") == (QZFWJ, "县政府文件")
    # Its 解读 links back to it, it does not link to its 解读: the finding names the leaf.
    site.column(JD, "政策解读")
    site.listed_doc(JD, "http://site.test/d/502", "《县政府关于某事项的通知》政策解读",
                    fields={**BASIC, "发布日期": "2023-05-08"}, is_interpretation=True)
    site.relation("http://site.test/d/502", "http://site.test/d/203", kind="original")
    [f] = site.findings("interpretation_one_way", AS_OF)
    assert (f.url, f.column, f.column_url) == ("http://site.test/d/203", "县政府文件", QZFWJ)


def test_a_notice_on_its_parents_summary_page_is_filed_under_its_leaf(site):
    summary_and_leaf(site)
    site.item(FDZD, "http://site.test/d/104", "关于某事项的通知", date="2023-05-06")
    site.listed_doc(TZGG, "http://site.test/d/104", "关于某事项的通知", fields={**BASIC, "发文机关": ""})
    assert filed(site, "http://site.test/d/104") == (TZGG, "通知公告")
    [f] = site.findings("missing_element", AS_OF)
    assert (f.url, f.field, f.column, f.column_url) == ("http://site.test/d/104", "发文机关", "通知公告", TZGG)


def test_the_deeper_of_two_nested_columns_wins_when_both_read_as_leaves(site):
    # A parent whose own page shows a plain list (the crawl did not see its children as a tree).
    site.column(ZCWJ, "政策文件")
    site.column(QZFWJ, "县政府文件", parent=ZCWJ)
    site.item(ZCWJ, "http://site.test/d/1", "某文件", date="2023-05-06")
    site.listed_doc(QZFWJ, "http://site.test/d/1", "某文件", fields=POLICY_FIELDS)
    assert filed(site, "http://site.test/d/1")[0] == QZFWJ


def test_the_strictest_requirement_still_wins_over_a_leaf(site):
    summary_and_leaf(site)
    # A 通知 leaf (three fields) and the 政策文件 summary page (all seven): the policy column names it.
    site.item(ZCWJ, "http://site.test/d/2", "某文件", date="2023-05-06")
    site.listed_doc(TZGG, "http://site.test/d/2", "某文件", fields=POLICY_FIELDS)
    assert filed(site, "http://site.test/d/2")[0] == ZCWJ


def test_among_leaves_a_units_own_column_still_wins(site):
    site.unit("章丘县人民政府", kind="district").unit("县教体局", kind="department")
    site.column(TZGG, "通知公告", unit="章丘县人民政府")
    site.column("http://site.test/jtj/tzgg", "通知公告", unit="县教体局")
    site.item(TZGG, "http://site.test/d/3", "某通知", date="2023-05-06")
    site.listed_doc("http://site.test/jtj/tzgg", "http://site.test/d/3", "某通知", fields=BASIC)
    assert filed(site, "http://site.test/d/3")[0] == "http://site.test/jtj/tzgg"


def test_a_news_item_on_the_homepage_is_filed_under_its_column_not_the_homepage(site):
    # 集约化 probe: the homepage (crawled first) shows the newest 区内要闻 in a box; the item's column
    # names it, not 首页.
    home, news = "http://site.test/", "http://site.test/col/col1001/index.html"
    site.column(home, "首页", section="homepage", kind="homepage")
    site.column(news, "区内要闻", section="portal")
    site.item(home, "http://site.test/art/1.html", "某区召开工作会议", date="2023-11-28")
    site.listed_doc(news, "http://site.test/art/1.html", "某区召开工作会议", fields={"发布日期": "2023-11-28"})
    assert filed(site, "http://site.test/art/1.html") == (news, "区内要闻")
