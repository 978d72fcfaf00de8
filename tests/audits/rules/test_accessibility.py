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
