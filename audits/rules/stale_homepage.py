"""首页不更新: no new dated item on the homepage within the window (V3)."""
from __future__ import annotations

from audits.registry import rule
from audits.views import column_view, window_phrase, window_start


def sentence(part, say):
    """主要问题: when the homepage was last updated."""
    r = part.iloc[0]
    date = say.evidence_date(r.evidence)
    said = f"首页最近更新于{date}，超过两周未更新" if date else "首页超过两周未更新"
    return said, [say.Example(said, r.url)]


@rule("stale_homepage", name="首页长期不更新", order=20, severity="veto", tasks=[33],
      category="栏目更新不及时", config=["homepage.window"],
      sentence=sentence,
      basis="《政府网站与政务新媒体检查指标》单项否决 V3：首页2周内无更新；要点任务33")
def stale_homepage(snapshot, config, as_of):
    """No new dated item on the homepage within the window (V3).

    url: the homepage
    refs: V3

    含义：网站首页两周内没有新发布的信息（首页只有导航时，看各二级页面是否更新）。
    依据：《政府网站与政务新媒体检查指标》单项否决指标“首页2周内无更新”。
    自查方法：打开网站首页，看各信息区块最新一条信息的日期是否在两周以内。
    整改方法：建立首页内容更新机制，保证首页要闻、通知公告等区块两周内有更新，并为每条信息标注发布日期。
    """
    cols = column_view(snapshot, config, as_of)
    home = cols[(cols["kind"] == "homepage") | (cols["section"] == "homepage")]
    if not len(home):
        return
    home_row = home.iloc[0]
    window = config["homepage"]["window"]
    start = window_start(as_of, window)
    newest = max((d for d in home["newest_date"] if d is not None), default=None)
    basis = "首页"
    if newest is None:
        # A navigation-only homepage: V3 then asks whether any 二级页面 was updated.
        portal = cols[cols["section"] == "portal"]
        newest = max((d for d in portal["newest_date"] if d is not None), default=None)
        basis = "二级页面"
        if newest is None:
            return  # nothing dated anywhere: cannot be judged, not a finding
    if newest >= start:
        return
    phrase = window_phrase(window)
    where = "网站首页" if basis == "首页" else "网站首页及二级页面"
    yield stale_homepage.finding(
        home_row["url"], f"{where}最近更新于{newest.isoformat()}，超过{phrase}未更新",
        unit=snapshot.district_unit, column="首页", column_url=home_row["url"],
        evidence={"newest_date": newest.isoformat(), "window": window, "window_start": start.isoformat(),
                  "judged_on": basis, "as_of": as_of.isoformat()})
