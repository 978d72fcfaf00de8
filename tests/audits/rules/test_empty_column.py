"""空白栏目 (empty_column): its cases on hand-built snapshots."""

HUB = "http://site.test/gongkai/fdzdgknr/"
AS_OF = "2023-11-30"


def test_hub_with_only_subcolumns_is_not_empty(site):
    site.column(HUB, "法定主动公开内容", kind="hub", is_leaf=False)
    site.column("http://site.test/c/a/", "工作动态", parent=HUB).item("http://site.test/c/a/", "http://site.test/d/1",
                                                                    date="2023-11-29")
    assert site.findings("empty_column", AS_OF) == []


def test_placeholder_page_is_empty(site):
    site.column("http://site.test/c/xzcf/", "行政处罚", placeholder=True, placeholder_text="暂无信息")
    found = site.findings("empty_column", AS_OF)
    assert [f.url for f in found] == ["http://site.test/c/xzcf/"]
    assert "暂无信息" in found[0].message and found[0].evidence["placeholder_text"] == "暂无信息"


def test_placeholder_list_entry_does_not_count_as_content(site):
    col = "http://site.test/c/xzcf/"
    site.column(col, "行政处罚").item(col, "http://site.test/c/xzcf/none", title="暂无信息")
    assert [f.url for f in site.findings("empty_column", AS_OF)] == [col]


def test_single_page_column_is_not_empty_unless_placeholder(site):
    site.column("http://site.test/c/zn/", "政府信息公开指南", kind="single")
    assert site.findings("empty_column", AS_OF) == []


def test_column_whose_page_failed_is_not_judged(site):
    site.column("http://site.test/c/dead/", "通知公告", http_status=404)
    site.column("http://site.test/c/js/", "政策文件", list_style="js_shell")
    site.fetch_error("http://site.test/api/list?c=js", referer="http://site.test/c/js/")
    assert site.findings("empty_column", AS_OF) == []


def test_unreadable_list_is_not_provably_empty(site):
    site.column("http://site.test/c/x/", "通知公告")
    site.column("http://site.test/c/y/", "公示公告", list_style="unknown")
    # an empty list box is empty as a reader sees it, unless a data-loading script may fill it
    site.column("http://site.test/c/z/", "文件通知", list_style="empty_list")
    site.column("http://site.test/c/w/", "工作动态", list_style="empty_list_script")
    assert sorted(f.url for f in site.findings("empty_column", AS_OF)) == ["http://site.test/c/x/",
                                                                         "http://site.test/c/z/"]


def test_a_page_without_a_list_that_shows_text_is_content_not_blank(site):
    # A TRS 依申请公开 column page: sidebar labels, then instructions as running text.
    menu = ["政府信息公开", "政府信息公开指南", "法定主动公开内容", "政策文件", "依申请公开"]
    site.column("http://site.test/c/ysqgk/", "依申请公开",
                shown_lines=[*menu, "公民、法人或者其他组织申请获取政府信息的，可以通过以下方式提出申请。"])
    # Menu labels only, or a long line that says 暂无信息, are no content.
    site.column("http://site.test/c/tzgg/", "通知公告", shown_lines=[*menu, "关于进一步做好政府信息公开申请办理工作的通知要求"])
    site.column("http://site.test/c/xzcf/", "行政处罚", shown_lines=[*menu, "暂无信息，本栏目信息正在整理中，敬请期待。"])
    # A list box the crawler read as empty stays blank whatever text sits beside it.
    site.column("http://site.test/c/rsxx/", "人事信息", list_style="empty_list",
                shown_lines=[*menu, "本栏目发布本单位人事任免、招录等信息，欢迎监督。"])
    assert sorted(f.url for f in site.findings("empty_column", AS_OF)) == [
        "http://site.test/c/rsxx/", "http://site.test/c/tzgg/", "http://site.test/c/xzcf/"]


def test_declared_total_without_listed_items_is_not_provably_empty(site):
    site.column("http://site.test/c/x/", "通知公告", item_count=35)
    assert site.findings("empty_column", AS_OF) == []


def test_a_soft_404_column_is_a_broken_link_only(site):
    """HTTP 200 with 页面不存在: a dead link, neither an empty nor a stale column."""
    gone, said = "http://site.test/c/gone/", "http://site.test/c/said/"
    site.column(gone, "通知公告").column(said, "工作动态")
    site.item(said, "http://site.test/d/old", date="2020-01-02")
    site.link(gone, status=200, outcome="soft404", sources=[SITE_HOME],
              signals={"page_says_missing": True, "document_fields": 0})
    site.page(said, kind="column", facts={"soft404_test": True})      # no link check recorded
    assert site.findings("empty_column", AS_OF) == [] and site.findings("stale_column", AS_OF) == []
    assert [f.url for f in site.findings("broken_link", AS_OF)] == [gone]


SITE_HOME = "http://site.test/"
