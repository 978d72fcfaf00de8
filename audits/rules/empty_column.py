"""空白栏目: a leaf column with no items, or whose page shows only a placeholder."""
from __future__ import annotations

from audits.registry import rule
from audits.views import column_view


@rule("empty_column", name="空白栏目", order=1, severity="veto", tasks=[33, 19],
      basis="《政府网站与政务新媒体检查指标》单项否决 V4(c)：空白栏目≥5个；要点任务33（避免出现栏目空白）")
def empty_column(snapshot, config, as_of):
    for url, c in column_view(snapshot, config, as_of).iterrows():
        if c["kind"] == "homepage" or c["section"] == "homepage" or not c["leaf"] or not c["judgeable"]:
            continue
        if c["n_content"] > 0:
            continue  # a 情况说明 alone is content too (R1.9)
        if c["kind"] == "single" and not c["placeholder"]:
            continue  # content shown inline on the column page itself
        if not c["placeholder"] and (c["item_count"] or 0) > 0:
            continue  # the page states a total the crawler did not list: not provably empty
        if not c["placeholder"] and c["list_style"] in config["columns"]["unreadable_list_styles"]:
            continue  # a list the crawler could not read: unknown, not empty
        shown = c["placeholder_text"] if c["placeholder"] else None
        message = f"「{c['label']}」栏目为空白栏目"
        if shown:
            message += f"（页面仅显示“{shown.strip()[:20]}”）"
        yield empty_column.finding(
            url, message, unit=c["unit"] or snapshot.district_unit, column=c["name"], column_url=url,
            evidence={"column_path": c["path"], "items": int(c["n_items"]), "placeholder_text": shown,
                      "http_status": c["http_status"], "list_style": c["list_style"]})
