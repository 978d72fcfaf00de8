"""首页长期不更新 (stale_homepage): its cases on hand-built snapshots."""

AS_OF = "2023-11-30"


def test_stale_homepage(site):
    home = "http://site.test/"
    site.column(home, "首页", section="homepage", kind="homepage")
    site.item(home, "http://site.test/d/1", date="2023-11-01")
    [f] = site.findings("stale_homepage", AS_OF)
    assert f.url == home and f.severity == "veto" and "网站首页最近更新于2023-11-01，超过两周未更新" == f.message
    site.item(home, "http://site.test/d/2", date="2023-11-20")
    assert site.findings("stale_homepage", AS_OF) == []


def test_navigation_only_homepage_is_judged_on_second_level_pages(site):
    home = "http://site.test/"
    site.column(home, "首页", section="homepage", kind="homepage")
    site.column("http://site.test/news/", "区县动态", section="portal").item(
        "http://site.test/news/", "http://site.test/n/1", date="2023-11-25")
    assert site.findings("stale_homepage", AS_OF) == []
    assert len(site.findings("stale_homepage", "2023-12-20")) == 1
