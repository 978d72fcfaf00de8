"""政策文件未关联解读: a document that must be interpreted has no 解读 at all."""
from __future__ import annotations

from audits.interpretations import pairs
from audits.registry import rule
from audits.views import document_view


@rule("missing_interpretation", name="政策文件未关联解读", order=5, severity="deduct", tasks=[22, 23],
      basis="行政规范性文件及区政府（办公室）政策文件均应解读（国办发〔2016〕80号等，rules.md J1）；"
            "要点任务22（明确解读范围）、23（三同步）")
def missing_interpretation(snapshot, config, as_of):
    docs = document_view(snapshot, config)
    associated = set(pairs(snapshot, config)["doc"])
    for url, d in docs[docs["must_interpret"] & docs["fetched_ok"]].iterrows():
        if url in associated:
            continue  # linked either way (a one-way link is interpretation_one_way's), or found by title
        number = d["fields"].get("发文字号") or ""
        yield missing_interpretation.finding(
            url, f"《{d['title']}》未关联政策解读", unit=d["unit"], column=d["column"],
            column_url=d["column_url"],
            evidence={"why_required": d["must_reason"], "doc_number": number or None, "publish_date": d["publish_date"],
                      "searched": f"无解读链接，且解读栏目中无标题含《{d['title']}》的解读"})
