"""The documents frame shares what repeats across 10⁵ documents (docs/performance.md, fourth pass)."""
from audits.frames import NO_ITEMS, Fields


def test_fields_share_their_keys_and_read_like_the_stored_dict(site):
    same = {"索引号": "X/2023-0001", "发文字号": "某政发〔2023〕1号", "有效性": "有效"}
    site.doc("http://a.gov.cn/1.html", "一", fields=same)
    site.doc("http://a.gov.cn/2.html", "二", fields={**same, "索引号": "X/2023-0002"})
    site.doc("http://a.gov.cn/3.html", "三", fields={"发布日期": "2023-01-02"})
    one, two, three = site.snapshot().documents["fields"]
    assert all(isinstance(f, Fields) for f in (one, two, three))
    assert one._keys is two._keys                      # one key tuple for every document with these keys
    assert dict(one) == same and list(one) == list(same) and sorted(two) == sorted(same)
    assert one.get("发文字号") == "某政发〔2023〕1号" and one.get("成文日期") is None and "有效性" in one
    assert two["索引号"] == "X/2023-0002" and dict(three) == {"发布日期": "2023-01-02"}


def test_empty_lists_are_one_list_and_attachment_names_are_pooled(site):
    site.doc("http://a.gov.cn/1.html", "一")
    site.doc("http://a.gov.cn/2.html", "二")
    files = [{"url": "http://a.gov.cn/f.pdf", "name": "附件1.pdf"}]
    site.doc("http://a.gov.cn/3.html", "三", attachments=files)
    site.doc("http://a.gov.cn/4.html", "四", attachments=[{"url": "http://a.gov.cn/g.pdf", "name": "附件1.pdf"}])
    lists = list(site.snapshot().documents["attachments"])
    assert lists[0] is NO_ITEMS and lists[1] is NO_ITEMS
    assert lists[2] == files and lists[2][0]["name"] is lists[3][0]["name"]
