"""意见征集未反馈: a closed 征集 with no linked 意见反馈/采纳情况 after N working days."""
from __future__ import annotations

import datetime as dt
import re

from audits.consultations import consultations, feedback_documents
from audits.registry import rule
from audits.textfacts import found_in_lines, quoted_title
from audits.texts import document_texts
from audits.workdays import add_workdays


_SUBJECT_RE = re.compile(r"^(?:关于)?(?:对|就)?《?(.+?)》?(?:[（(]征求意见稿[)）])?》?(?:向社会)?(?:公开)?(?:征求|征集)")


_DRAFT_RE = re.compile(r"[（(]征求意见稿[)）]$")


def subject(title: str) -> str:
    """关于《某某办法（征求意见稿）》公开征求意见的公告 -> 某某办法: what a feedback notice names.

    A quoted title wins (关于公开征求《X》意见的公告 names X, not 公开); else the words before 征求."""
    quoted = quoted_title(title)
    if quoted:
        return _DRAFT_RE.sub("", quoted[1:-1])
    m = _SUBJECT_RE.match(title)
    return m.group(1).strip("《》") if m else title


def _feedback_lines(snapshot, feedback, window: int):
    """A line per 意见反馈 item, its title and the first ``window`` characters of its text, with no
    white space; read as the texts come (3,000 feedback texts at 10⁵ documents were 12 MiB held)."""
    title_of = dict(zip(feedback["url"], feedback["title"]))
    for url, body in document_texts(snapshot, list(title_of)):
        yield "".join((title_of.pop(url, "") or "").split()) + "".join(body[:window].split())
    yield from ("".join((title or "").split()) for title in title_of.values())      # no stored text


@rule("missing_consultation_feedback", name="意见征集未公开反馈", order=180, severity="notice", tasks=[16],
      config=["consultation.feedback_workdays", "consultation.assumed_days_when_unknown",
              "consultation.feedback_column_keywords", "consultation.feedback_title_keywords",
              "consultation.feedback_text_chars", "consultation.subject_min_chars"],
      basis="要点§二(二)及任务16：决策文件出台后10个工作日内公开意见收集、采纳情况，并与征集信息关联"
            "（rules.md T9；以链接或标题关联判定，时限为本区规定）",
      views=["column_classes", "document_parts", "link_verdicts"])
def missing_consultation_feedback(snapshot, config, as_of):
    """A closed 征集 with no linked 意见反馈/采纳情况 after N working days.

    url: the 征集 item
    refs: T9, 要点 §二(二)

    含义：意见征集结束后，没有公开意见收集和采纳情况，或反馈信息没有与征集信息关联公开。本项为提示。
    依据：政务公开工作要点关于公开意见收集、采纳情况并与征集信息关联公开的要求。
    自查方法：查看意见征集栏目中该征集是否有对应的反馈信息，征集页面与反馈页面是否互相链接。
    整改方法：发布意见收集和采纳情况的反馈，并在征集页面与反馈页面之间添加链接。
    """
    cfg = config["consultation"]
    feedback = feedback_documents(snapshot, config)
    fb_urls = set(feedback.index)
    found = consultations(snapshot, config)
    srcs = snapshot.link_sources_of(fb_urls | {c["doc"]["url"] for c in found})
    # Pages that link to a feedback document or that one links to.
    linked_to_feedback = {s for s, t in zip(srcs["source_url"], srcs["target_url"]) if t in fb_urls} | \
        {t for s, t in zip(srcs["source_url"], srcs["target_url"]) if s in fb_urls}
    titles = {c["doc"]["url"]: "".join((c["doc"]["title"] or "").split()) for c in found}
    # Which titles and subjects the feedback items hold, in one pass (a find per 征集 was quadratic).
    in_feedback = found_in_lines(_feedback_lines(snapshot, feedback, cfg["feedback_text_chars"]),
                                 [*titles.values(), *(subject(t) for t in titles.values())])
    for c in found:
        d = c["doc"]
        closes = c["end"] or (c["start"] + dt.timedelta(days=cfg["assumed_days_when_unknown"]) if c["start"] else None)
        if not closes:
            continue
        due = add_workdays(closes, cfg["feedback_workdays"])
        if due >= as_of:
            continue  # still open, or feedback not yet due
        linked = d["url"] in linked_to_feedback
        title = titles[d["url"]]
        core = subject(title)
        named = len(core) >= cfg["subject_min_chars"] and core in in_feedback
        mentioned = bool(title) and (title in in_feedback or named)
        if linked or mentioned:
            continue
        yield missing_consultation_feedback.finding(
            d["url"], f"《{d['title']}》征集意见结束后未公开意见收集和采纳情况（或未与意见反馈关联公开）",
            unit=d["unit"], column=d["column"], column_url=d["column_url"],
            evidence={"closed": closes.isoformat(), "feedback_due": due.isoformat(),
                      "closing_date_stated": c["end"] is not None, "feedback_items_seen": len(fb_urls)})
