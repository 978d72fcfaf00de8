"""正文仅有附件: a document whose body is empty and whose whole content is an attachment."""
from __future__ import annotations

import re
from functools import lru_cache

from audits.registry import rule
from audits.texts import document_texts
from audits.docparts import document_batches

_FILLER_RE = re.compile(r"\s|附件[：:]?|\d+[.、]")


@lru_cache(maxsize=4)
def _more_than(limit: int) -> re.Pattern:
    """Matches when ``limit`` + 1 characters that no filler removal can touch are in a text: its
    cleaned body is then longer than ``limit`` (found in the first few characters of most pages)."""
    return re.compile(r"(?:[^\s\d附件：:.、][\s\d附件：:.、]*){%d}" % (limit + 1))


@rule("attachment_only_document", name="正文仅有附件", order=107, severity="notice", tasks=[32],
      category="文件要素不全、不规范", config=["attachments.empty_body_max_chars"],
      sentence="{documents}篇信息正文为空，内容只在附件中",
      labels={"attachments": "附件"},
      basis="信息正文应直接公开主要内容，不宜只挂附件（检查通报常见问题）",
      views=["document_parts"])
def attachment_only_document(snapshot, config, as_of):
    """A document page whose body says nothing beyond the names of its attachments.

    url: the document
    refs: 检查通报

    含义：信息页面正文为空，全部内容只在附件中，读者须下载附件才能看到内容，也不便检索。本项为提示。
    依据：政务公开工作要点关于提升信息公开质量、便于公众获取的要求；检查通报中“正文仅有附件”的常见问题。
    自查方法：打开页面，查看正文是否只有附件链接。
    整改方法：在正文中发布文件全文或主要内容，附件作为补充。
    """
    limit = config["attachments"]["empty_body_max_chars"]
    read = ("fetched_ok", "title", "attachments", "unit", "column", "column_url")
    for docs in document_batches(snapshot, config, read):       # texts of one part at a time
        docs = docs[docs["fetched_ok"]]
        with_files = docs.index[[any(isinstance(a, dict) for a in (files or ())) for files in docs["attachments"]]]
        position = docs.index.get_loc
        columns = {c: docs[c].to_numpy() for c in ("title", "attachments", "unit", "column", "column_url")}
        for url, body in document_texts(snapshot, with_files):
            d = {c: values[position(url)] for c, values in columns.items()}
            files = [a for a in d["attachments"] if isinstance(a, dict)]
            for a in files:
                body = body.replace(a.get("name") or "", "")
            if _more_than(limit).search(body):
                continue                     # most pages: text that no filler removal could empty
            if len(_FILLER_RE.sub("", body)) > limit:
                continue
            yield attachment_only_document.finding(
                url, f"《{d['title']}》正文为空，内容只在附件中", unit=d["unit"], column=d["column"],
                column_url=d["column_url"], evidence={"attachments": [a.get("name") or a.get("url") for a in files]})
