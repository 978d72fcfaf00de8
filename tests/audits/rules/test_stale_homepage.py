"""首页长期不更新 (stale_homepage): its cases on hand-built snapshots."""

from govaudit.core import storage

AS_OF = "2023-11-30"          # the fixture's scan started 2023-11-30 (its fetch date)


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


def _shown(site, column_url, url, date_raw):
    """A homepage item as a box shows it: month and day only, no full date (the crawler does not guess a year)."""
    site._add(storage.list_item, column_url=column_url, url=url, title="某条信息", full_title="某条信息",
              date=None, date_raw=date_raw, position=next(site._serial))


def test_month_day_homepage_items_are_judged_in_the_year_of_the_fetch_date(site):
    home = "http://site.test/"
    site.column(home, "首页", section="homepage", kind="homepage")
    _shown(site, home, "http://site.test/xxgk/detail.jsp?id=1", "09-25")
    _shown(site, home, "http://site.test/xxgk/detail.jsp?id=2", "11-28")
    assert site.findings("stale_homepage", AS_OF) == []            # 2023-11-28: within two weeks
    [f] = site.findings("stale_homepage", "2023-12-20")
    assert f.message == "网站首页最近更新于2023-11-28，超过两周未更新"
    assert f.evidence["newest_date_raw"] == "11-28" and f.evidence["year_from"] == "2023-11-30"


def test_a_month_day_after_the_fetch_date_is_of_the_year_before(site):
    home = "http://site.test/"
    site.column(home, "首页", section="homepage", kind="homepage")
    _shown(site, home, "http://site.test/d/1", "12-15")             # fetched 2023-11-30: 2022-12-15
    [f] = site.findings("stale_homepage", AS_OF)
    assert f.evidence["newest_date"] == "2022-12-15"
    site.item(home, "http://site.test/d/2", date="2023-11-20")       # a full date newer than it wins
    assert site.findings("stale_homepage", AS_OF) == []
