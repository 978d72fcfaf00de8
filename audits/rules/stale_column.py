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


def sentence(part, say):
    """主要问题: stale columns by class, in how many units; examples with their last update."""
    def text(r):
        date = say.evidence_date(r.evidence)
        if date:
            return f"{say.where(r)}最近更新于{date}，超过{say.window(r.evidence)}未更新"
        return f"{say.where(r)}信息均未标注发布日期，视为未更新"
    classes = part["evidence"].map(say.column_class)
    split = "，".join(f"{c}{n}个" for c, n in classes.value_counts().items() if c)
    said = f"共发现更新不及时栏目{len(part)}个，涉及{say.units(part)}个单位" + (f"（其中{split}）" if split else "")
    return said, say.examples(part, text)


@rule("stale_column", name="栏目更新不及时", order=30, severity="veto", tasks=[33, 19],
      category="栏目更新不及时", config=["columns.classes", "columns.no_window_keywords", "columns.undated_items_use_page_date",
              "columns.overrides"],
      sentence=sentence, labels={"newest_date_from": "最近日期取自"},
      basis="《政府网站与政务新媒体检查指标》单项否决 V4(a)(b)：动态要闻类2周、通知公告政策文件类6个月、"
            "人事规划类1年未更新；要点任务33（按要求及时更新）",
      views=["column_view"])
def stale_column(snapshot, config, as_of):
    """The newest dated item of a leaf column is older than its class window.

    url: the column page
    refs: V4(a)(b), 2015 FAQ

    含义：栏目最新一条信息的发布日期早于更新要求：动态要闻类两周、通知公告和政策文件类半年、人事和规划计划类一
    年。列表中没有标注日期的信息视为未更新（配置 undated_items_use_page_date 为 true 时，以其页面所示发布日期计）。
    依据：《政府网站与政务新媒体检查指标》单项否决指标（动态要闻类两周、通知公告政策文件类一级栏目半年未更新合
    计5个以上，或应更新栏目长期未更新10个以上）；政务公开工作要点“按要求及时更新”。
    自查方法：打开栏目，看最上面一条信息的发布日期，与报告“证据”中的“应不早于”日期比较；同时检查列表中的信
    息是否都标注了日期。
    整改方法：按栏目类别的更新要求及时发布信息，并为每条信息标注发布日期；长期没有新内容的栏目可与相近栏目整合
    ；专题、历史类栏目不再更新的，应在页面注明并归档。
    """
    classes = config["columns"]["classes"]
    for url, c, start in stale_columns(snapshot, config, as_of):
        phrase = window_phrase(c["window"])
        if c["newest_date"] is not None:
            message = f"「{c['label']}」栏目最近更新于{c['newest_date'].isoformat()}，超过{phrase}未更新"
            if c["newest_from_page"]:
                message += "（列表未标注日期，以信息页面所示发布日期计）"
        else:
            message = f"「{c['label']}」栏目信息均未标注发布日期，视为超过{phrase}未更新"
        yield stale_column.finding(
            url, message, unit=c["unit"] or snapshot.district_unit, column=c["name"], column_url=url,
            evidence={
                "column_path": c["path"], "class": c["klass"], "class_label": classes[c["klass"]].get("label"),
                "window": c["window"], "window_start": start.isoformat(), "as_of": as_of.isoformat(),
                "newest_date": c["newest_date"].isoformat() if c["newest_date"] else None,
                "newest_title": c["newest_title"], "newest_url": c["newest_url"],
                "newest_date_from": ("信息页面" if c["newest_from_page"] else "栏目列表") if c["newest_date"] else None,
                "items": int(c["n_content"]), "undated_items": int(c["n_undated"]),
                "future_dated_items": int(c["n_future"]), "top_level": bool(c["top_level"]),
                "policy": bool(c["policy"]),
            })
