"""网站标识不全 (site_identity_missing): its cases on hand-built snapshots."""
from tests.audits.conftest import SITE
from tests.audits.rules.sites import NB

AS_OF = "2023-11-30"


def test_site_identity_only_on_recorded_facts(site):
    site.column(SITE, "首页", section="homepage", kind="homepage")
    site.page(SITE, kind="homepage", facts={"site_id_code": None, "icp": "鲁ICP备123号", "police_record": None,
                                            "metas": {"SiteName": "章丘区"}})
    [f] = site.findings("site_identity_missing", AS_OF)
    assert f.evidence["missing_footer"] == ["政府网站标识码", "公安机关备案号"]
    assert f.evidence["missing_metas"] == ["SiteDomain", "SiteIDCode"]


def test_site_identity_unknown_facts_are_not_findings(site):
    site.column(SITE, "首页", section="homepage", kind="homepage")
    site.page(SITE, kind="homepage", facts={})
    assert site.findings("site_identity_missing", AS_OF) == []


def test_footer_of_other_standalone_pages(site):
    site.column(SITE, "首页", section="homepage", kind="homepage")
    site.page(SITE, kind="homepage", facts={"site_id_code": "3701810001", "icp": "鲁ICP备1号", "police_record": "x"})
    site.page("http://site.test/ghb/", kind="other", facts={"site_id_code": "3701810001", "icp": None,
                                                            "police_record": None})
    site.page("http://site.test/d/1", kind="document", facts={"icp": None})
    [f] = site.findings("site_identity_missing", AS_OF)
    assert f.url == "http://site.test/ghb/" and f.evidence["missing_footer"] == ["ICP备案号", "公安机关备案号"]


def test_article_pages_missing_47_metas_are_one_finding_per_unit(site):
    site.unit("区教体局", home_url="http://site.test/jtj/")
    site.column(NB, "通知公告", unit="区教体局")
    full = {"ArticleTitle": "某", "PubDate": "2023-01-01", "ContentSource": "区教体局"}
    site.listed_doc(NB, "http://site.test/d/1", "甲", fields={}, unit="区教体局", metas=full)
    site.listed_doc(NB, "http://site.test/d/2", "乙", fields={}, unit="区教体局", metas={"ArticleTitle": "乙"})
    site.listed_doc(NB, "http://site.test/d/3", "丙", fields={}, unit="区教体局", metas={})   # not recorded: unknown
    site.listed_doc(NB, "http://site.test/d/4", "丁", fields={}, unit="区教体局", metas={**full, "PubDate": ""})
    site.listed_doc(NB, "http://site.test/d/5", "戊", fields={}, unit="区教体局", metas=None)
    [f] = site.findings("site_identity_missing", AS_OF)
    assert (f.url, f.field, f.unit) == ("http://site.test/jtj/", "网页元数据", "区教体局")
    assert f.evidence["pages"] == 2 and f.evidence["missing_tags"] == {"PubDate": 2, "ContentSource": 1}


def test_a_column_page_showing_its_one_page_inline_owes_no_article_metas(site):
    """A 指南 column whose page shows the guide itself (kind single) is stored as a document, but its
    page is the column template's: ArticleTitle / PubDate / ContentSource are article pages' tags."""
    site.unit("区教体局", home_url="http://site.test/jtj/")
    guide = "http://site.test/jtj/list.jsp?catid=100"
    site.column(guide, "信息公开指南", unit="区教体局", kind="single")
    site.doc(guide, "信息公开指南", unit="区教体局", column_url=guide, metas={"SiteName": "章丘区"})
    assert site.findings("site_identity_missing", AS_OF) == []
    site.listed_doc(NB, "http://site.test/d/2", "乙", fields={}, unit="区教体局", metas={"SiteName": "章丘区"})
    [f] = site.findings("site_identity_missing", AS_OF)
    assert f.evidence["examples"] == ["http://site.test/d/2"]
