"""正文仅有附件: a document whose body is empty and whose whole content is an attachment."""
from __future__ import annotations

import re

from audits.registry import rule
from audits.texts import document_texts
from audits.views import document_view


@rule("attachment_only_document", name="正文仅有附件", order=107, severity="notice", tasks=[32],
      category="文件要素不全、不规范", config=["attachments.empty_body_max_chars"],
      sentence="{documents}篇信息正文为空，内容只在附件中",
      labels={"attachments": "附件"},
      basis="信息正文应直接公开主要内容，不宜只挂附件（检查通报常见问题）")
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
    docs = document_view(snapshot, config)
    docs = docs[docs["fetched_ok"]]
    with_files = docs.index[[any(isinstance(a, dict) for a in (files or ())) for files in docs["attachments"]]]
    for url, body in document_texts(snapshot, with_files):        # in batches
        d = docs.loc[url]
        files = [a for a in d["attachments"] if isinstance(a, dict)]
        for a in files:
            body = body.replace(a.get("name") or "", "")
        body = re.sub(r"\s|附件[：:]?|\d+[.、]", "", body)
        if len(body) > limit:
            continue
        yield attachment_only_document.finding(
            url, f"《{d['title']}》正文为空，内容只在附件中", unit=d["unit"], column=d["column"],
            column_url=d["column_url"], evidence={"attachments": [a.get("name") or a.get("url") for a in files]})
