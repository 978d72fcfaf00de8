"""征求意见 items and their periods (rules.md T8/T9)."""
from __future__ import annotations

from audits.textfacts import comment_period
from audits.texts import document_texts
from audits.docview import document_view
from audits.views import column_classes, contains_any, rows, to_date


def consultations(snapshot, config) -> list[dict]:
    """Every fetched 征求意见 document with its stated period."""
    cfg = config["consultation"]
    cols = column_classes(snapshot, config)
    cons_cols = set(rows(cols, (contains_any(n, cfg["column_keywords"]) and not contains_any(n, cfg["feedback_column_keywords"])
                                for n in cols["name"])).index)
    docs = document_view(snapshot, config)
    ok = docs[docs["fetched_ok"]]
    # A feedback notice about a consultation is not the consultation.
    keep = [(any(c in cons_cols for c in columns) or contains_any(title, cfg["title_keywords"]))
            and not contains_any(title, cfg["feedback_title_keywords"])
            for columns, title in zip(ok["columns"], ok["title"])]
    found = [d for _, d in rows(ok, keep).iterrows()]
    texts = dict(document_texts(snapshot, {d["url"] for d in found}))
    out = []
    for d in found:
        published = to_date(d["publish_date"])
        start, end = comment_period(texts.get(d["url"], ""), published)
        out.append({"doc": d, "published": published, "start": start, "end": end})
    return out


def feedback_documents(snapshot, config):
    """The 意见反馈 / 采纳情况 documents (by column or title); their text through ``audits.texts``."""
    cfg = config["consultation"]
    cols = column_classes(snapshot, config)
    fb_cols = set(rows(cols, (contains_any(n, cfg["feedback_column_keywords"]) for n in cols["name"])).index)
    docs = document_view(snapshot, config)
    return rows(docs, (any(c in fb_cols for c in cs) or contains_any(t, cfg["feedback_title_keywords"])
                       for cs, t in zip(docs["columns"], docs["title"])))
