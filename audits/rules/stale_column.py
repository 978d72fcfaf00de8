"""栏目更新不及时: the newest dated item of a leaf column is older than its class window."""
from __future__ import annotations

from audits.registry import rule
from audits.views import column_view, window_phrase, window_start


def stale_columns(snapshot, config, as_of):
    """(column row, window start) of every stale column; shared with scoring's veto counts."""
    for url, c in column_view(snapshot, config, as_of).iterrows():
        if c["kind"] == "homepage" or c["section"] == "homepage" or not c["leaf"] or not c["judgeable"]:
            continue
        if c["window"] is None or c["n_content"] == 0:
            continue  # no window (专题/年报/指南… or no class), or blank: empty_column's business
        start = window_start(as_of, c["window"])
        if c["newest_date"] is not None and c["newest_date"] >= start:
            continue
        yield url, c, start


@rule("stale_column", name="栏目更新不及时", order=2, severity="veto", tasks=[33, 19],
      basis="《政府网站与政务新媒体检查指标》单项否决 V4(a)(b)：动态要闻类2周、通知公告政策文件类6个月、"
            "人事规划类1年未更新；要点任务33（按要求及时更新）")
def stale_column(snapshot, config, as_of):
    classes = config["columns"]["classes"]
    for url, c, start in stale_columns(snapshot, config, as_of):
        phrase = window_phrase(c["window"])
        if c["newest_date"] is not None:
            message = f"「{c['label']}」栏目最近更新于{c['newest_date'].isoformat()}，超过{phrase}未更新"
        else:
            message = f"「{c['label']}」栏目信息均未标注发布日期，视为超过{phrase}未更新"
        yield stale_column.finding(
            url, message, unit=c["unit"] or snapshot.district_unit, column=c["name"], column_url=url,
            evidence={
                "column_path": c["path"], "class": c["klass"], "class_label": classes[c["klass"]].get("label"),
                "window": c["window"], "window_start": start.isoformat(), "as_of": as_of.isoformat(),
                "newest_date": c["newest_date"].isoformat() if c["newest_date"] else None,
                "newest_title": c["newest_title"], "newest_url": c["newest_url"],
                "items": int(c["n_content"]), "undated_items": int(c["n_undated"]),
                "future_dated_items": int(c["n_future"]), "top_level": bool(c["top_level"]),
            })
