"""扫描件无法检索 (scanned_pdf): its cases on hand-built snapshots."""

AS_OF = "2023-11-30"
COL = "http://site.test/c/tz/"


def test_a_pdf_without_a_text_layer_is_a_notice(site):
    site.column(COL, "通知公告")
    site.listed_doc(COL, "http://site.test/d/1", "预案", fields={}, body_text="正文内容。" * 5)
    site.attachment("http://site.test/f/scan.pdf", "http://site.test/d/1", "附件：预案.pdf", read_status="no_text", pages=3)
    site.attachment("http://site.test/f/text.pdf", "http://site.test/d/1", read_status="ok", pages=2,
                    parts=[{"where": "第1页", "text": "文字"}])
    site.attachment("http://site.test/f/empty.pdf", "http://site.test/d/1", read_status="empty", pages=0)
    [f] = site.findings("scanned_pdf", AS_OF)
    assert f.url == "http://site.test/f/scan.pdf" and f.severity == "notice"
    assert f.evidence["pages"] == 3 and "扫描件" in f.message


def test_a_scanned_pdf_inside_a_zip_is_named_by_its_member(site):
    site.column(COL, "通知公告")
    site.listed_doc(COL, "http://site.test/d/1", "预案", fields={}, body_text="正文内容。" * 5)
    site.attachment("http://site.test/f/a.zip", "http://site.test/d/1", "预案.zip", kind="zip", read_status="ok",
                    parts=[{"where": "正文", "text": "说明", "member": "说明.txt"}],
                    members=[{"name": "说明.txt", "kind": "txt", "status": "ok"},
                             {"name": "预案扫描.pdf", "kind": "pdf", "status": "no_text", "pages": 4}])
    [f] = site.findings("scanned_pdf", AS_OF)
    assert f.url == "http://site.test/f/a.zip" and f.evidence["attachment"] == "预案.zip › 预案扫描.pdf"
    assert f.evidence["pages"] == 4 and "“预案.zip › 预案扫描.pdf”为扫描件" in f.message
