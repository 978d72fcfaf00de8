"""正文仅有附件 (attachment_only_document): its cases on hand-built snapshots."""

AS_OF = "2023-11-30"
COL = "http://site.test/c/tz/"
FILE = [{"url": "http://site.test/f/a.pdf", "name": "附件：实施方案.pdf"}]


def test_a_body_holding_only_the_attachment_names_is_empty(site):
    site.column(COL, "通知公告")
    site.listed_doc(COL, "http://site.test/d/1", "关于印发实施方案的通知", fields={}, body_text="", attachments=FILE)
    site.listed_doc(COL, "http://site.test/d/2", "关于印发实施方案的通知（二）", fields={},
                    body_text="附件：1. 附件：实施方案.pdf", attachments=FILE)
    site.listed_doc(COL, "http://site.test/d/3", "有正文的通知", fields={},
                    body_text="为做好相关工作，现将实施方案印发给你们，请认真贯彻执行。", attachments=FILE)
    site.listed_doc(COL, "http://site.test/d/4", "无附件的空页面", fields={}, body_text="")
    found = sorted(f.url for f in site.findings("attachment_only_document", AS_OF))
    assert found == ["http://site.test/d/1", "http://site.test/d/2"]


def test_the_limit_counts_what_is_left_once_spaces_numbering_and_names_are_removed(site):
    # empty_body_max_chars is 10: ten characters left is still empty, eleven is a body.  The
    # numbering, spaces and 附件 labels between them must not count (nor stop the count early).
    site.column(COL, "通知公告")
    site.listed_doc(COL, "http://site.test/d/ten", "十个字", fields={}, attachments=FILE,
                    body_text="附件： 1. 附件：实施方案.pdf\n 2、 一二三四五 \u3000 3. 六七八九十 附件:")
    site.listed_doc(COL, "http://site.test/d/eleven", "十一个字", fields={}, attachments=FILE,
                    body_text="附件： 1. 附件：实施方案.pdf\n 2、 一二三四五 \u3000 3. 六七八九十甲 附件:")
    site.listed_doc(COL, "http://site.test/d/digits", "数字", fields={}, attachments=FILE,
                    body_text="１２３４５６７８９０１２３４５。 实施方案")
    found = sorted(f.url for f in site.findings("attachment_only_document", AS_OF))
    assert found == ["http://site.test/d/ten"]
