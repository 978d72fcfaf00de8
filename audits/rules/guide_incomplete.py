"""指南内容不全: the 政府信息公开指南 lacks 办公地址, 办公时间, 联系电话, 传真 or 互联网联系方式."""
from __future__ import annotations

from audits.docparts import document_subset
from audits.filetext import judged_texts
from audits.registry import rule
from audits.views import column_classes, contains_any, rows, to_date


@rule("guide_incomplete", name="信息公开指南要素不全", order=160, severity="deduct", tasks=[19],
      config=["guide", "attachments.pointer_phrases", "attachments.pointer_max_chars"],
      labels={"missing": "未载明事项", "attachments": "附件"},
      basis="《政府信息公开条例》第十二条：指南应载明工作机构名称、办公地址、办公时间、联系电话、传真号码、"
            "互联网联系方式（rules.md T6）；要点任务19",
      views=["attachments", "column_classes", "document_parts", "link_verdicts"])
def guide_incomplete(snapshot, config, as_of):
    """The 政府信息公开指南 lacks 办公地址, 办公时间, 联系电话, 传真 or 互联网联系方式.  A guide page
    that only points to its attachment (详见附件) is judged on the text of the attachments read;
    when none was read, no verdict (attachment_not_checked says so).

    url: the newest 指南 of the unit
    refs: T6

    含义：政府信息公开指南没有载明规定事项，如工作机构名称、办公地址、办公时间、联系电话、传真号码、互联网联系
    方式。
    依据：《中华人民共和国政府信息公开条例》第十二条关于政府信息公开指南内容的规定。
    自查方法：打开本单位的政府信息公开指南（正文仅提示“详见附件”的，打开附件），对照“证据”中的“未载明事项”逐项查找。
    整改方法：补充缺少的事项；机构、地址、电话等发生变化的，及时更新指南。
    """
    cfg = config["guide"]
    guides = current_guides(snapshot, config)
    texts = judged_texts(snapshot, config, {d["url"] for d in guides.values()}, cfg["min_text_chars"])
    for unit, d in sorted(guides.items(), key=lambda kv: str(kv[0])):
        judged = texts.get(d["url"])
        if judged is None or not judged.judged:
            continue  # only an attachment, and it was not read: attachment_not_checked says so
        text = "".join(judged.text.split())
        missing = [label for label, alternatives in cfg["required"].items()
                   if not any(a in text for a in alternatives)]
        if not missing:
            continue
        read_in = f"（附件“{'”“'.join(judged.files)}”）" if judged.files else ""
        yield guide_incomplete.finding(
            d["url"], f"《{d['title']}》{read_in}未载明{'、'.join(missing)}", unit=unit, column=d["column"],
            column_url=d["column_url"], evidence={"missing": missing, "publish_date": d["publish_date"],
                                                  **({"attachments": judged.files} if judged.files else {})})


def current_guides(snapshot, config) -> dict:
    """Each unit's current 指南 (the newest one; superseded versions are not judged), by unit."""
    cfg = config["guide"]
    cols = column_classes(snapshot, config)
    guide_cols = set(rows(cols, (contains_any(n, cfg["column_keywords"]) for n in cols["name"])).index)
    guides = document_subset(snapshot, config, lambda docs: [
        ok and (u in guide_cols or any(c in guide_cols for c in cs) or contains_any(t, cfg["title_keywords"]))
        for ok, u, cs, t in zip(docs["fetched_ok"], docs["url"], docs["columns"], docs["title"])],
        ("fetched_ok", "url", "columns", "title"),
        ("url", "title", "unit", "column", "column_url", "publish_date"))
    newest: dict = {}
    for url, d in guides.iterrows():
        key = d["unit"]
        if key not in newest or (to_date(d["publish_date"]) or to_date("1900-01-01")) > \
                (to_date(newest[key]["publish_date"]) or to_date("1900-01-01")):
            newest[key] = d
    return newest
