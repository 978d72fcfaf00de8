"""泄露个人隐私 (privacy_leak): its cases on hand-built snapshots."""

AS_OF = "2023-11-30"


def test_privacy_leak_masks_and_checks_checksum(site):
    site.column("http://site.test/c/gs/", "公示公告")
    site.listed_doc("http://site.test/c/gs/", "http://site.test/d/1", "低保公示", fields={},
                    body_text="张三 身份证号11010519491231002X 李四 110105194912310021")
    site.listed_doc("http://site.test/c/gs/", "http://site.test/d/2", "联系方式", fields={},
                    body_text="联系人手机13812345678")
    found = {f.url: f for f in site.findings("privacy_leak", AS_OF)}
    assert found["http://site.test/d/1"].evidence["id_numbers"] == ["110105********002X"]
    assert found["http://site.test/d/1"].severity == "deduct"
    assert found["http://site.test/d/2"].severity == "notice"
    assert "13812345678" not in str(found["http://site.test/d/2"].evidence)


COL = "http://site.test/c/gs/"
ID1, ID2 = "11010519491231002X", "110105194912310021"     # valid; checksum wrong


def _people(n):
    """n valid ID numbers (GB 11643 check characters computed)."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    out = []
    for i in range(n):
        body = f"37018119800101{100 + i:03d}"
        out.append(body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11])
    return out


def test_a_spreadsheet_column_of_id_numbers_is_one_location(site):
    site.column(COL, "公示公告")
    site.listed_doc(COL, "http://site.test/d/1", "低保对象公示", fields={}, body_text="现将名单公示如下。")
    ids = _people(5)
    cells = [["名单", 1, 3, "身份证号"]] + [["名单", r, 3, n] for r, n in enumerate(ids, 2)]
    cells += [["名单", 2, 4, "13812345678"], ["名单", 3, 5, ID2]]
    site.attachment("http://site.test/f/list.xlsx", "http://site.test/d/1", "附件：名单.xlsx", kind="xlsx", cells=cells)
    [f] = site.findings("privacy_leak", AS_OF)
    assert f.url == "http://site.test/f/list.xlsx" and f.severity == "deduct"
    assert f.evidence["document"] == "http://site.test/d/1"
    assert f.evidence["locations"] == ["工作表“名单”第3列（C列）5个身份证号", "工作表“名单”D2单元格手机号码"]
    assert f.evidence["id_count"] == 5 and all("*" in n for n in f.evidence["id_numbers"])
    assert not any(n in f.message or n in str(f.evidence) for n in ids + ["13812345678"])


def test_pdf_pages_name_where_and_contact_lines_are_not_leaks(site):
    site.column(COL, "公示公告")
    site.listed_doc(COL, "http://site.test/d/1", "名单", fields={}, body_text="见附件。")
    site.listed_doc(COL, "http://site.test/d/2", "指南", fields={}, body_text="见附件。")
    site.attachment("http://site.test/f/a.pdf", "http://site.test/d/1", "附件：名单.pdf",
                    parts=[{"where": "第1页", "text": "名单"}, {"where": "第2页", "text": f"张某 {ID1} 联系电话13912345678"}])
    site.attachment("http://site.test/f/b.pdf", "http://site.test/d/2", "附件：指南.pdf",
                    parts=[{"where": "第1页", "text": f"联系方式：办公电话 0531-83211234，13506410001\n编号 {ID2}"}])
    [f] = site.findings("privacy_leak", AS_OF)
    assert f.url == "http://site.test/f/a.pdf"
    assert f.evidence["locations"] == ["第2页身份证号1个、手机号码1个"]     # a person's phone on a 联系电话 line counts


def test_attachments_of_documents_not_read_are_not_judged(site):
    site.column(COL, "公示公告")
    site.listed_doc(COL, "http://site.test/d/1", "名单", fields={}, http_status=404)
    site.attachment("http://site.test/f/a.pdf", "http://site.test/d/1", parts=[{"where": "第1页", "text": ID1}])
    assert site.findings("privacy_leak", AS_OF) == []


def test_a_list_inside_a_zip_names_its_member(site):
    """名单.zip › 附件1.xlsx: the leak is in a member of the archive, and the finding says which."""
    site.column(COL, "公示公告")
    site.listed_doc(COL, "http://site.test/d/1", "低保对象公示", fields={}, body_text="现将名单公示如下。")
    ids = _people(4)
    cells = [["名单", r, 3, n, "附件1.xlsx"] for r, n in enumerate(ids, 2)]
    parts = [{"where": "第1页", "text": "说明"}, {"where": "第2页", "text": f"张某 {ID1}", "member": "附件2.pdf"},
             {"where": "工作表“名单”", "text": "\t".join(ids), "member": "附件1.xlsx"}]
    site.attachment("http://site.test/f/list.zip", "http://site.test/d/1", "名单.zip", kind="zip", cells=cells, parts=parts,
                    members=[{"name": "附件1.xlsx", "kind": "xlsx", "status": "ok"},
                             {"name": "附件2.pdf", "kind": "pdf", "status": "ok"}])
    [f] = site.findings("privacy_leak", AS_OF)
    assert f.url == "http://site.test/f/list.zip" and f.severity == "deduct"
    assert f.evidence["attachment"] == "名单.zip › 附件1.xlsx、附件2.pdf"
    assert f.evidence["locations"] == ["附件1.xlsx：工作表“名单”第3列（C列）4个身份证号", "附件2.pdf：第2页身份证号1个"]
    assert f.evidence["id_count"] == 5 and "“名单.zip › 附件1.xlsx、附件2.pdf”含身份证号5个" in f.message
