"""政策文件未关联解读: a document that must be interpreted has no 解读 at all."""
from __future__ import annotations

from audits.docparts import document_batches
from audits.frames import records
from audits.interpretations import pairs
from audits.registry import rule
from audits.views import to_date


def sentence(part, say):
    """主要问题: policy documents without any 解读."""
    return (f"{part['url'].nunique()}篇政策文件未关联政策解读",
            say.examples(part, lambda r: f"{r.unit}{say.title(r)}未关联政策解读"))


@rule("missing_interpretation", name="政策文件未关联解读", order=60, severity="deduct", tasks=[22, 23],
      category="政策解读不到位", config=["interpretation.must_column_keywords",
              "interpretation.must_doc_number_keywords", "interpretation.exclude_title_keywords",
              "interpretation.column_keywords", "interpretation.issued_name_min_chars",
              "interpretation.judged_from"],
      sentence=sentence,
      basis="行政规范性文件及区政府（办公室）政策文件均应解读（国办发〔2016〕80号等，rules.md J1）；"
            "要点任务22（明确解读范围）、23（三同步）",
      views=["document_parts", "interp_pairs"])
def missing_interpretation(snapshot, config, as_of):
    """A document that must be interpreted has no 解读 at all.

    url: the policy document
    refs: J1

    含义：需要解读的政策文件（行政规范性文件，以及文号含“政发”“政办发”的区政府、区政府办公室文件）没有关联
    政策解读，解读栏目中也找不到标题含该文件全称的解读。2016年11月10日（国办发〔2016〕80号）以前形成的文件不在此列。
    依据：《国务院办公厅关于印发〈关于全面推进政务公开工作的意见〉实施细则的通知》（国办发〔2016〕80号）关于政
    策解读的要求；政务公开工作要点关于明确解读范围和解读“三同步”的要求。
    自查方法：打开文件页面，看是否有“相关解读”链接；在政策解读栏目按文件标题查找对应解读。
    整改方法：按“谁起草、谁解读”的原则补充发布解读材料，在文件页面添加解读链接，并在解读页面链接政策原文。
    """
    associated = set(pairs(snapshot, config)["doc"])
    since = to_date(config["interpretation"]["judged_from"])
    read = ("must_interpret", "fetched_ok", "written_date", "publish_date", "fields", "title", "unit",
            "column", "column_url", "must_reason")
    for url, d in ((url, d) for docs in document_batches(snapshot, config, read)
                   for url, d in records(docs[docs["must_interpret"] & docs["fetched_ok"]])):
        if url in associated:
            continue  # linked either way (a one-way link is interpretation_one_way's), or found by title
        day = to_date(d["written_date"]) or to_date(d["publish_date"])
        if since and day and day < since:
            continue  # before the duty to interpret with the document

        number = d["fields"].get("发文字号") or ""
        yield missing_interpretation.finding(
            url, f"《{d['title']}》未关联政策解读", unit=d["unit"], column=d["column"],
            column_url=d["column_url"],
            evidence={"why_required": d["must_reason"], "doc_number": number or None, "publish_date": d["publish_date"],
                      "searched": f"无解读链接，且解读栏目中无标题含《{d['title']}》的解读"})
