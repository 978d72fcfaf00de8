"""附件无法打开 (attachment_unreadable): its cases on hand-built snapshots."""

AS_OF = "2023-11-30"
COL = "http://site.test/c/tz/"


def _doc(site, n=1):
    site.listed_doc(COL, f"http://site.test/d/{n}", f"通知{n}", fields={}, body_text="正文内容。" * 5)


def test_corrupt_encrypted_and_html_files_are_unreadable(site):
    site.column(COL, "通知公告")
    _doc(site)
    for name, status in (("a.docx", "corrupt"), ("b.pdf", "encrypted"), ("c.pdf", "html"), ("d.pdf", "ok"),
                         ("e.pdf", "no_text"), ("f.doc", "not_read"), ("g.pdf", "timeout")):
        site.attachment(f"http://site.test/f/{name}", "http://site.test/d/1", f"附件：{name}", read_status=status)
    found = {f.url.rsplit("/", 1)[-1]: f for f in site.findings("attachment_unreadable", AS_OF)}
    assert sorted(found) == ["a.docx", "b.pdf", "c.pdf"]
    assert found["b.pdf"].evidence["reason"] == "文件已加密，需要密码才能打开"
    assert found["a.docx"].evidence["document"] == "http://site.test/d/1"


def test_a_soft_404_served_as_a_file_is_a_broken_link_not_this(site):
    site.column(COL, "通知公告")
    _doc(site)
    site.attachment("http://site.test/f/x.pdf", "http://site.test/d/1", read_status="html")
    site.link("http://site.test/f/x.pdf", status=200, outcome="soft404", sources=["http://site.test/d/1"],
              signals={"page_says_missing": True, "same_as_missing_path": True, "document_fields": 0})
    assert site.findings("attachment_unreadable", AS_OF) == []


def test_one_finding_per_file_linked_by_two_documents(site):
    site.column(COL, "通知公告")
    _doc(site, 1)
    _doc(site, 2)
    for n in (1, 2):
        site.attachment("http://site.test/f/a.docx", f"http://site.test/d/{n}", read_status="corrupt")
    [f] = site.findings("attachment_unreadable", AS_OF)
    assert f.evidence["document"] == "http://site.test/d/1"


def test_a_damaged_file_inside_a_zip_is_named_by_its_member(site):
    site.column(COL, "通知公告")
    _doc(site)
    site.attachment("http://site.test/f/a.zip", "http://site.test/d/1", "名单.zip", kind="zip", read_status="ok",
                    parts=[{"where": "正文", "text": "说明", "member": "说明.txt"}],
                    members=[{"name": "说明.txt", "kind": "txt", "status": "ok"},
                             {"name": "附件2.xlsx", "kind": "xlsx", "status": "corrupt"},
                             {"name": "附件3.doc", "kind": "doc", "status": "not_read"}])
    site.attachment("http://site.test/f/b.zip", "http://site.test/d/1", "其他.zip", kind="zip", read_status="ok",
                    parts=[{"where": "正文", "text": "说明", "member": "说明.txt"}],
                    members=[{"name": "说明.txt", "kind": "txt", "status": "ok"}])
    [f] = site.findings("attachment_unreadable", AS_OF)
    assert f.url == "http://site.test/f/a.zip" and f.evidence["attachment"] == "名单.zip › 附件2.xlsx"
    assert f.message == "《通知1》的附件“名单.zip › 附件2.xlsx”无法打开：文件已损坏，无法打开"
