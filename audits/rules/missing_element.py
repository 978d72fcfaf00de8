"""要素缺失: a field the document's strictest column requires is absent or empty."""
from __future__ import annotations

from audits.registry import rule
from audits.views import document_view, is_blank


@rule("missing_element", name="要素缺失", order=3, severity="deduct", tasks=[20],
      basis="山东省政府文件库要素规范（索引号、主题分类、发文机关、发文字号、成文日期、发布日期、有效性）；"
            "要点任务20（要素齐全、格式规范）")
def missing_element(snapshot, config, as_of):
    for url, d in document_view(snapshot, config).iterrows():
        if not d["fetched_ok"] or not d["required"]:
            continue
        fields = d["fields"]
        for name in d["required"]:
            value = fields.get(name)
            if not is_blank(value, config):
                continue
            shown = name in fields
            message = f"《{d['title']}》{name}为空" if shown else f"《{d['title']}》缺少{name}"
            yield missing_element.finding(
                url, message, field=name, unit=d["unit"], column=d["column"], column_url=d["column_url"],
                evidence={"label_shown": shown, "value": value if shown else None,
                          "required_by": d["column_label"], "required_fields": d["required"],
                          "columns": d["columns"], "fields_seen": sorted(fields)})
