"""Verdicts the crawler used to take, judged by the audit configuration on stored facts
(issue 11 item 2; tests/crawler/test_facts_judged.py does the same on a real crawl)."""
from tests.audits.conftest import keys

from audits.config import merged_config
from govaudit.core.errors import GovauditError

AS_OF = "2023-11-30"
COL = "http://site.test/c/tzgg/"


def test_a_placeholder_line_of_an_empty_page_follows_the_keywords(site):
    site.column(COL, "通知公告", kind="single", shown_lines=["通知公告", "栏目维护中"])
    assert site.findings("empty_column", AS_OF) == []
    found = site.findings("empty_column", AS_OF, **{"columns.placeholder_keywords": ["维护中"]})
    assert keys(found) == [("empty_column", COL, None)] and found[0].evidence["placeholder_text"] == "栏目维护中"


def test_older_scans_keep_the_stored_placeholder_verdict(site):
    site.column(COL, "通知公告", kind="single", placeholder=True, placeholder_text="暂无信息")
    assert keys(site.findings("empty_column", AS_OF)) == [("empty_column", COL, None)]


def test_a_placeholder_entry_follows_the_limits(site):
    site.column(COL, "通知公告", item_count=1).item(COL, "http://site.test/d/0", title="【暂无相关信息】", date="2023-11-20")
    assert keys(site.findings("empty_column", AS_OF)) == [("empty_column", COL, None)]
    assert site.findings("empty_column", AS_OF, **{"columns.placeholder_entry_max_chars": 5}) == []


def test_a_section_follows_the_navigation_keywords(site):
    site.column(COL, "新闻发布", section="portal", nav={"via": "homepage", "top": "新闻中心"})
    site.listed_doc(COL, "http://site.test/d/1", "某新闻", date="2023-11-20", fields={"发布日期": "2023-11-20"})
    assert site.findings("missing_element", AS_OF) == []
    found = site.findings("missing_element", AS_OF, **{"columns.gongkai_nav_keywords": ["新闻中心"]})
    assert {f.field for f in found} == {"索引号", "发文机关"}


def test_soft_404_signals_are_judged_by_the_config(site):
    site.column(COL, "通知公告")
    site.listed_doc(COL, "http://site.test/d/2", "关于某事的通知", date="2023-11-20")
    site.link("http://site.test/d/2", status=200, outcome="soft404", sources=[COL],
              signals={"page_says_missing": True, "same_as_missing_path": False, "document_fields": 0})
    assert keys(site.findings("broken_link", AS_OF)) == [("broken_link", "http://site.test/d/2", None)]
    assert site.findings("missing_element", AS_OF) == []            # not a document to judge
    relaxed = {"links.soft404.page_says_missing": False}
    assert site.findings("broken_link", AS_OF, **relaxed) == []
    assert {f.field for f in site.findings("missing_element", AS_OF, **relaxed)} == {"索引号", "发文机关", "发布日期"}


def test_the_audit_config_takes_the_profile_override_schema():
    merged_config({"columns": {"overrides": [{"url_pattern": "/c/", "no_update_window": True,
                                              "required_fields": ["索引号"]}]}})
    for bad, says in (({"url_pattern": "(["}, "url_pattern"), ({"class": "weekly"}, "class"),
                      ({"no_window": True}, "needs a match key"), ({"match": "x", "colour": 1}, "unknown key colour")):
        try:
            merged_config({"columns": {"overrides": [bad]}})
        except GovauditError as exc:
            assert says in exc.message, exc.message
        else:
            raise AssertionError(bad)


def test_a_section_set_by_the_profile_stays_for_its_subtree(site):
    site.column(COL, "市级政策", section="portal", nav={"via": "homepage", "top": "政策文件", "profile_section": "portal"})
    site.listed_doc(COL, "http://site.test/d/3", "某转载政策", date="2023-11-20", fields={"发布日期": "2023-11-20"})
    assert site.findings("missing_element", AS_OF) == []
