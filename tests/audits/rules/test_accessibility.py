"""无障碍与适老化不达标 (accessibility): its cases on hand-built snapshots."""
from tests.audits.conftest import SITE

AS_OF = "2023-11-30"


def test_accessibility(site):
    site.column(SITE, "首页", section="homepage", kind="homepage")
    site.page(SITE, kind="homepage", facts={"lang": None, "imgs_without_alt": 2, "accessibility_entry": False,
                                            "care_entry": True, "controls_without_label": 0})
    site.page("http://site.test/d/1", facts={"lang": "zh-CN", "imgs_without_alt": 1})
    site.page("http://site.test/d/2", facts={"lang": None, "imgs_without_alt": 0})
    site.page("http://site.test/d/3", facts={"lang": None, "imgs_without_alt": 0})
    found = {(f.url, f.field): f for f in site.findings("accessibility", AS_OF)}
    assert set(found) == {(SITE, None), ("http://site.test/d/1", None), (SITE, "其他页面")}
    home = found[(SITE, None)]
    assert "lang" in home.message and "无障碍" in home.message and "关怀版" not in home.message
    assert found[(SITE, "其他页面")].evidence["pages_without_lang"] == 2


def test_pages_the_database_leaves_out_have_no_gap(site):
    """The rule reads only pages whose facts may hold a gap (an SQL condition on two JSON keys);
    facts without the keys, with other values or with none at all are judged as before."""
    site.column(SITE, "首页", section="homepage", kind="homepage")
    site.page(SITE, kind="homepage", facts={"lang": "zh-CN", "imgs_without_alt": 0})
    site.page("http://site.test/d/1", facts={})                                   # an older crawl: no keys
    site.page("http://site.test/d/2", facts={"lang": ""})                          # empty lang
    site.page("http://site.test/d/3", facts=None)
    site.page("http://site.test/d/4", facts={"imgs_without_alt": 3, "imgs_without_alt_sample": ["a.png"]})
    site.page("http://site.test/d/5", facts={"lang": "zh", "imgs_without_alt": None})
    found = {(f.url, f.field): f for f in site.findings("accessibility", AS_OF)}
    assert set(found) == {("http://site.test/d/4", None), (SITE, "其他页面")}
    assert found[("http://site.test/d/4", None)].evidence["imgs_without_alt_sample"] == ["a.png"]
    assert found[(SITE, "其他页面")].evidence == {"pages_without_lang": 1, "examples": ["http://site.test/d/2"]}
    without_lang = site.findings("accessibility", AS_OF, **{"accessibility.require_lang": False})
    assert {(f.url, f.field) for f in without_lang} == {("http://site.test/d/4", None)}
