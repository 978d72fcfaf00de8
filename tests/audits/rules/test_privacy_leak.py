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
