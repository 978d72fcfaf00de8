"""征求意见 items and their periods (rules.md T8/T9)."""
from __future__ import annotations

from audits.frames import records
from audits.textfacts import comment_period
from audits.texts import document_texts
from audits.docparts import document_subset
from audits.views import column_classes, contains_any, rows, to_date


# What the 征求意见 rules read of a document (a whole view row is ~2 kB).
_READ = ("url", "title", "unit", "column", "column_url", "publish_date", "fetched_ok")


def consultations(snapshot, config) -> list[dict]:
    """Every fetched 征求意见 document with its stated period."""
    cfg = config["consultation"]
    cols = column_classes(snapshot, config)
    cons_cols = set(rows(cols, (contains_any(n, cfg["column_keywords"]) and not contains_any(n, cfg["feedback_column_keywords"])
                                for n in cols["name"])).index)
    def keep(docs):
        # A feedback notice about a consultation is not the consultation.
        return [ok and (any(c in cons_cols for c in columns) or contains_any(title, cfg["title_keywords"]))
                and not contains_any(title, cfg["feedback_title_keywords"])
                for ok, columns, title in zip(docs["fetched_ok"], docs["columns"], docs["title"])]
    found = [d for _, d in records(document_subset(snapshot, config, keep, ("fetched_ok", "columns", "title"),
                                                   _READ))]
    published = {d["url"]: to_date(d["publish_date"]) for d in found}
    # The period of each text as it is read: the texts are never all held (10³ at 10⁵ documents).
    periods = {url: comment_period(text, published[url]) for url, text in document_texts(snapshot, published)}
    return [{"doc": d, "published": published[d["url"]], "start": start, "end": end}
            for d in found for start, end in [periods.get(d["url"]) or comment_period("", published[d["url"]])]]


def feedback_documents(snapshot, config):
    """The 意见反馈 / 采纳情况 documents (by column or title); their text through ``audits.texts``."""
    cfg = config["consultation"]
    cols = column_classes(snapshot, config)
    fb_cols = set(rows(cols, (contains_any(n, cfg["feedback_column_keywords"]) for n in cols["name"])).index)
    return document_subset(snapshot, config, lambda docs: [
        any(c in fb_cols for c in cs) or contains_any(t, cfg["feedback_title_keywords"])
        for cs, t in zip(docs["columns"], docs["title"])], ("columns", "title"), _READ)
