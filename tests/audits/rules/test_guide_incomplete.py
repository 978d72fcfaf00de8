"""信息公开指南要素不全 (guide_incomplete): its cases on hand-built snapshots."""

AS_OF = "2023-11-30"
ZN = "http://site.test/c/zn/"


def test_guide_incomplete_judges_newest_guide(site):
    site.column(ZN, "政府信息公开指南", unit="区教体局")
    site.listed_doc(ZN, "http://site.test/zn/old", "区教体局政府信息公开指南", fields={"发布日期": "2020-01-01"},
                    unit="区教体局", body_text="办公地址：某路1号。" * 10)
    site.listed_doc(ZN, "http://site.test/zn/new", "区教体局政府信息公开指南（2023年修订）",
                    fields={"发布日期": "2023-03-01"}, unit="区教体局",
                    body_text="办公地址：某路1号；办公时间：工作日；联系电话：0531-1234567；电子邮箱：a@b.cn。" * 3)
    [f] = site.findings("guide_incomplete", AS_OF)
    assert f.url == "http://site.test/zn/new" and f.evidence["missing"] == ["传真"]


def test_guide_shorter_than_the_configured_minimum_is_not_judged(site):
    """An attachment-only guide (little visible text) cannot be read; the minimum is config."""
    site.column(ZN, "政府信息公开指南", unit="区教体局")
    site.listed_doc(ZN, "http://site.test/zn/1", "区教体局政府信息公开指南", fields={"发布日期": "2023-03-01"},
                    unit="区教体局", body_text="办公地址：某路1号；办公时间：工作日。" * 3)
    [f] = site.findings("guide_incomplete", AS_OF)
    assert f.evidence["missing"] == ["联系电话", "传真", "互联网联系方式"]
    assert site.findings("guide_incomplete", AS_OF, guide={"min_text_chars": 500}) == []


def test_a_guide_shown_inline_by_its_column_is_judged_and_owes_no_elements(site):
    # 集约化 probe: the catalogue links 政府信息公开指南 straight to the article (a 'single' column);
    # the crawler stores that article as the column's document.
    guide = "http://site.test/art/2023/2/10/art_1117_1.html"
    site.column(guide, "政府信息公开指南", kind="single")
    site.doc(guide, "某区人民政府信息公开指南", column_url=guide, fields={"发布日期": "2023-02-10"},
             body_text="办公地址：某路1000号；办公时间：工作日上午9:00-12:00；联系电话：0531-83211234；电子邮箱：a@b.cn。" * 3)
    [f] = site.findings("guide_incomplete", AS_OF)
    assert f.url == guide and f.evidence["missing"] == ["传真"]
    # a page shown inline is no published 信息 with 索引号 / 发文机关
    assert site.findings("missing_element", AS_OF) == []


def test_a_guide_published_as_its_attachment_is_judged_on_it_and_the_body(site):
    """The page says 详见附件 and gives the address; the attached guide gives the rest but the fax.
    An attachment never fetched (a .doc outside the sections read) is said when nothing was read."""
    site.column(ZN, "政府信息公开指南", unit="区教体局")
    site.listed_doc(ZN, "http://site.test/zn/1", "区教体局政府信息公开指南", fields={"发布日期": "2023-03-01"},
                    unit="区教体局", body_text="办公地址：某路1号。指南全文详见附件。",
                    attachments=[{"url": "http://site.test/f/zn.pdf", "name": "指南.pdf"}])
    site.attachment("http://site.test/f/zn.pdf", "http://site.test/zn/1", "指南.pdf",
                    parts=[{"where": "第1页", "text": "办公时间：工作日\n联系电话：0531-83211234\n电子邮箱：a@b.cn"}])
    [f] = site.findings("guide_incomplete", AS_OF)
    assert f.evidence["missing"] == ["传真"] and f.evidence["attachments"] == ["指南.pdf"]
    site.listed_doc(ZN, "http://site.test/zn/2", "区教体局政府信息公开指南（2023年修订）", fields={"发布日期": "2023-06-01"},
                    unit="区教体局", body_text="详见附件。", attachments=[{"url": "http://site.test/f/zn2.doc", "name": "指南.doc"}])
    assert site.findings("guide_incomplete", AS_OF) == []
    [n] = site.findings("attachment_not_checked", AS_OF)
    assert n.url == "http://site.test/zn/2" and n.evidence["not_checked"] == "信息公开指南要素不全"
    assert n.evidence["reasons"] == ["指南.doc：附件未下载（不在附件检查范围内）"]
