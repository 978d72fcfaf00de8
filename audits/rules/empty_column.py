"""空白栏目: a leaf column with no items, or whose page shows only a placeholder."""
from __future__ import annotations

from audits.registry import rule
from audits.views import column_view, shows_text


def sentence(part, say):
    """主要问题: how many blank columns, in how many units; examples show what the page said."""
    def text(r):
        shown = r.evidence.get("placeholder_text") or r.evidence.get("placeholder")
        return say.where(r) + (f"（页面仅显示“{shown}”）" if shown else "")
    return f"经检测，共发现空白栏目{len(part)}个，涉及{say.units(part)}个单位", say.examples(part, text)


@rule("empty_column", name="空白栏目", order=10, severity="veto", tasks=[33, 19],
      category="空白栏目", config=["columns.unreadable_list_styles", "columns.placeholder_keywords",
              "columns.explanation_keywords", "columns.inline_text_min_chars"],
      labels={"http_status": {"hidden": True}},
      sentence=sentence,
      basis="《政府网站与政务新媒体检查指标》单项否决 V4(c)：空白栏目≥5个；要点任务33（避免出现栏目空白）",
      views=["column_view"])
def empty_column(snapshot, config, as_of):
    """A leaf column with no items, or whose page shows only a placeholder.

    url: the column page
    refs: V4(c)

    含义：栏目没有任何信息，或页面只显示“暂无信息”“正在建设中”“暂无数据”等提示。只发布了情况说明的栏目不
    算空白栏目；栏目页面没有列表、直接以文字说明内容的（如依申请公开的申请方式），也不算空白栏目。
    依据：《政府网站与政务新媒体检查指标》单项否决指标（空白栏目5个以上即单项否决）；政务公开工作要点“避免出
    现栏目空白”。
    自查方法：打开问题清单中的栏目链接，看列表是否有信息；分页或由脚本加载的栏目，确认列表能正常显示、不是只有
    提示语。
    整改方法：及时补充该栏目应公开的内容；确实没有可公开内容的，发布情况说明，写明事项未发生的具体原因；确无必
    要保留的栏目予以整合或撤并，不得保留空白栏目。
    """
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
        if not c["placeholder"] and c["list_style"] is None and shows_text(c["shown_lines"], config):
            continue  # no list on the page, which shows its content as text (依申请公开 instructions)
        shown = c["placeholder_text"] if c["placeholder"] else None
        message = f"「{c['label']}」栏目为空白栏目"
        if shown:
            message += f"（页面仅显示“{shown.strip()[:20]}”）"
        yield empty_column.finding(
            url, message, unit=c["unit"] or snapshot.district_unit, column=c["name"], column_url=url,
            evidence={"column_path": c["path"], "items": int(c["n_items"]), "placeholder_text": shown,
                      "http_status": c["http_status"], "list_style": c["list_style"]})
