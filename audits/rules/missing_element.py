"""要素缺失: a field the document's strictest column requires is absent or empty."""
from __future__ import annotations

from audits.frames import records
from audits.registry import rule
from audits.texts import page_values
from audits.docparts import document_batches
from audits.views import is_blank


def sentence(part, say):
    """主要问题: documents missing fields, counted by field; one example per document.  A field the
    crawler may have failed to read under another label (severity notice) is not said to be missing:
    those documents are counted apart, as to be checked by hand, in the words of their message."""
    if "severity" in part:
        unsure = part["severity"] == "notice"
        sure, check = part[~unsure], part[unsure]
    else:
        sure, check = part, part.iloc[:0]
    fields = sure.groupby("url", sort=False)["field"].agg(lambda f: "、".join(x for x in f if x))

    def text(r):
        return f"{r.unit}{say.title(r)}缺少{fields[r.url]}" if fields.get(r.url) else r.message
    said, examples = [], []
    if not sure.empty:
        said.append(f"{sure['url'].nunique()}篇文件要素不全（缺少{say.field_breakdown(sure, '篇')}）")
        examples += say.examples(sure.drop_duplicates("url"), text)
    if not check.empty:
        said.append(f"{check['url'].nunique()}篇文件有未能识别的要素名称，待人工核对是否缺少"
                    f"{say.field_breakdown(check, '篇')}")
        examples = (examples + say.examples(check.drop_duplicates("url"), say.with_unit))[:say.limit]
    return "；".join(said), examples


@rule("missing_element", name="要素缺失", order=40, severity="deduct", tasks=[20],
      category="文件要素不全、不规范", config=["elements.policy_required", "elements.basic_required",
              "elements.empty_values", "elements.empty_value_pattern", "elements.policy_column_keywords", "elements.unread_label_words"],
      sentence=sentence, labels={"unread_labels": "未能识别的要素"},
      basis="山东省政府文件库要素规范（索引号、主题分类、发文机关、发文字号、成文日期、发布日期、有效性）；"
            "要点任务20（要素齐全、格式规范）",
      views=["document_parts"])
def missing_element(snapshot, config, as_of):
    """A field the document's strictest column requires is absent or empty.

    url: the document (`field`: the field)
    refs: M1
    severity: deduct (the page's metadata shows a label the crawler could not read: notice, to check by hand)

    含义：文件页面缺少应有的要素，或要素名称有但内容为空。政策文件类栏目（政府文件、政府办公室文件、规范性文件
    、部门文件等）的文件应有索引号、主题分类、发文机关、发文字号、成文日期、发布日期、有效性七项；其他政府信息
    公开栏目的信息应至少有索引号、发文机关、发布日期。页面要素中有本工具未能识别的要素名称时（可能就是所缺要素
    的另一种叫法），该项列为“提示”，请人工核对。
    依据：山东省政府信息公开平台文件要素规范；政务公开工作要点“要素齐全、格式规范”。
    自查方法：打开文件页面，查看正文上方的要素表，逐项核对“证据”中列出的应有要素和已有要素。
    整改方法：在网站管理后台补全缺少的要素；同一文件在多个栏目发布的，各处要素应一致。
    """
    read = ("fetched_ok", "required", "fields", "column_label", "columns", "title", "unit", "column",
            "column_url")
    for docs in document_batches(snapshot, config, read):
        yield from _missing(snapshot, config, docs)


def _missing(snapshot, config, docs):
    """The findings of one part of the document view."""
    lacking = []
    for url, d in records(docs):
        if not d["fetched_ok"] or not d["required"]:
            continue
        fields = d["fields"]
        for name in d["required"]:
            if is_blank(fields.get(name), config):
                lacking.append((url, d, name))
    unread = unread_labels(snapshot, {url for url, d, name in lacking if name not in d["fields"]})
    for url, d, name in lacking:
        fields = d["fields"]
        shown, value = name in fields, fields.get(name)
        words = config["elements"]["unread_label_words"].get(name) or ()
        labels = [(label, v) for label, v in unread.get(url, ()) if any(w in label for w in words)]
        evidence = {"label_shown": shown, "value": value if shown else None,
                    "required_by": d["column_label"], "required_fields": d["required"],
                    "columns": d["columns"],
                    # 已有要素: the fields shown with a value (a label shown empty is this finding's own)
                    "fields_seen": sorted(f for f in fields if not is_blank(fields[f], config))}
        if shown:
            message, kwargs = f"《{d['title']}》{name}为空", {}
        elif labels:
            # The block names something the crawler could not read: it may be this field.
            said = "、".join(f"“{label}”" for label, _ in labels[:3])
            message = f"《{d['title']}》未识别到{name}（页面要素中有未能识别的{said}，请人工核对）"
            kwargs = {"severity": "notice"}
            evidence["unread_labels"] = [f"{label}：{v}" for label, v in labels[:5]]
        else:
            message, kwargs = f"《{d['title']}》缺少{name}", {}
        yield missing_element.finding(url, message, field=name, unit=d["unit"], column=d["column"],
                                      column_url=d["column_url"], evidence=evidence, **kwargs)


def _has_unread_labels(table):
    """The pages whose facts hold ``unread_labels`` (a few), chosen by the database."""
    return table.c.facts["unread_labels"].as_string().is_not(None)


def unread_labels(snapshot, urls) -> dict:
    """{page URL: [[label, value], ...]}: labels of the page's metadata block that the crawler
    could not read, for the pages ``urls``."""
    if not urls:
        return {}
    return {url: facts["unread_labels"] for url, facts in page_values(snapshot, "facts", urls, where=_has_unread_labels)
            if isinstance(facts, dict) and facts.get("unread_labels")}
