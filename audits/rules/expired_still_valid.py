"""有效性标注错误: 有效性 says 有效 but the 有效期 stated in the text has passed (M7)."""
from __future__ import annotations

from audits.frames import lookup
from audits.registry import rule
from audits.textfacts import valid_until
from audits.texts import document_texts
from audits.docparts import document_batches
from audits.views import to_date


@rule("expired_still_valid", name="有效性标注错误", order=120, severity="deduct", tasks=[20],
      category="文件要素不全、不规范", config=["validity.valid_values"],
      labels={"value": "有效性标注"},
      basis="文件修改、废止、失效应在原文件上明确标注（国办发〔2017〕47号；rules.md M7）；要点任务20（文件库动态更新）",
      views=["document_parts"])
def expired_still_valid(snapshot, config, as_of):
    """有效性 says 有效 but the 有效期 stated in the text has passed (M7).

    url: the document (`field`: 有效性)
    refs: M7

    含义：文件正文写明的有效期已经届满，但“有效性”仍标注为“有效”。
    依据：《国务院办公厅关于印发政府网站发展指引的通知》（国办发〔2017〕47号）：文件修改、废止、失效的，应在原
    文件上明确标注；政务公开工作要点关于文件库动态更新的要求。
    自查方法：查看文件正文中的有效期和要素表中的“有效性”。
    整改方法：将有效性改为“失效”（或按实际改为“废止”“已修改”）；已重新发布或延期的，标注并链接新文件。
    """
    valid_values = config["validity"]["valid_values"]
    read = ("url", "fields", "fetched_ok", "title", "unit", "column", "column_url", "written_date",
            "publish_date")
    for docs in document_batches(snapshot, config, read):       # texts of one part at a time
        stated = {url: (fields.get("有效性") or "").strip()
                  for url, fields, ok in zip(docs["url"], docs["fields"], docs["fetched_ok"]) if ok}
        valid = [url for url, validity in stated.items() if validity in valid_values]
        row = lookup(docs, ("title", "unit", "column", "column_url", "written_date", "publish_date"))
        for url, text in document_texts(snapshot, valid):
            d = row(url)
            end, phrase = valid_until(text, to_date(d["written_date"]), to_date(d["publish_date"]))
            if end is None or end >= as_of:
                continue
            validity = stated[url]
            yield expired_still_valid.finding(
                url, f"《{d['title']}》有效期至{end.isoformat()}已届满，有效性仍标注为“{validity}”",
                field="有效性", unit=d["unit"], column=d["column"], column_url=d["column_url"],
                evidence={"value": validity, "valid_until": end.isoformat(), "stated_as": phrase, "as_of": as_of.isoformat()})
