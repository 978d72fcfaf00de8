"""首页不更新: no new dated item on the homepage within the window (V3)."""
from __future__ import annotations

from audits.registry import rule
from audits.views import column_view, window_phrase, window_start


@rule("stale_homepage", name="首页长期不更新", order=10, severity="veto", tasks=[33],
      basis="《政府网站与政务新媒体检查指标》单项否决 V3：首页2周内无更新；要点任务33")
def stale_homepage(snapshot, config, as_of):
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
