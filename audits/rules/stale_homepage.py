"""首页不更新: no new dated item on the homepage within the window (V3)."""
from __future__ import annotations

import datetime as dt
import re

from audits.registry import rule
from audits.views import column_view, window_phrase, window_start


def sentence(part, say):
    """主要问题: when the homepage was last updated."""
    r = part.iloc[0]
    date = say.evidence_date(r.evidence)
    said = f"首页最近更新于{date}，超过两周未更新" if date else "首页超过两周未更新"
    return said, [say.Example(said, r.url)]


@rule("stale_homepage", name="首页长期不更新", order=20, severity="veto", tasks=[33],
      category="栏目更新不及时", config=["homepage.window"], reads=["list_items.date_raw"],
      labels={"newest_date_raw": "首页显示", "year_from": {"label": "年份取自检查日期", "as": "date"}},
      sentence=sentence,
      basis="《政府网站与政务新媒体检查指标》单项否决 V3：首页2周内无更新；要点任务33",
      views=["column_view"])
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
    shown = month_day_newest(snapshot, set(home["url"]))
    if shown is not None and (newest is None or shown[0] > newest):
        newest = shown[0]
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
    evidence = {"newest_date": newest.isoformat(), "window": window, "window_start": start.isoformat(),
                "judged_on": basis, "as_of": as_of.isoformat()}
    if basis == "首页" and shown is not None and shown[0] == newest:
        evidence.update(newest_date_raw=shown[1], year_from=shown[2])
    yield stale_homepage.finding(
        home_row["url"], f"{where}最近更新于{newest.isoformat()}，超过{phrase}未更新",
        unit=snapshot.district_unit, column="首页", column_url=home_row["url"], evidence=evidence)


# A homepage box that shows month and day only (11-28, [09.25], 11月28日): the crawler records
# the text as shown and no full date, since the page does not say which year.
_MONTH_DAY = re.compile(r"^[\s\[(（【]*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})\s*日?[\s\])）】]*$")


def _fetch_date(snapshot) -> dt.date | None:
    started = str(snapshot.scan.get("started_at") or "")[:10]
    try:
        return dt.date.fromisoformat(started)
    except ValueError:
        return None


def month_day_newest(snapshot, home_urls) -> tuple[dt.date, str, str] | None:
    """(date, raw, fetch date) of the newest homepage item that shows only a month and day,
    dated in the year of the scan's fetch date, or the year before when that day falls after
    the fetch date (the homepage cannot show an item published after it was fetched); None when
    there is none or the scan has no start date."""
    fetched = _fetch_date(snapshot)
    if fetched is None or "date_raw" not in snapshot.loaded_columns("list_items"):
        return None
    items = snapshot.list_items_in(home_urls, ["date", "date_raw"])
    rows = items[items["date"].isna()]
    best = None
    for raw in rows["date_raw"].dropna():
        m = _MONTH_DAY.match(str(raw).strip())
        if not m:
            continue
        month, day = int(m.group("m")), int(m.group("d"))
        for year in (fetched.year, fetched.year - 1):
            try:
                d = dt.date(year, month, day)
            except ValueError:
                continue                       # 02-29 of a year that has none: try the year before
            if d <= fetched:
                if best is None or d > best[0]:
                    best = (d, str(raw).strip(), fetched.isoformat())
                break
    return best
