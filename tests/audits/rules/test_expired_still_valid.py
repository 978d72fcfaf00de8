"""有效性标注错误 (expired_still_valid): its cases on hand-built snapshots."""
from tests.audits.conftest import POLICY_FIELDS

AS_OF = "2023-11-30"


def test_expired_still_valid(site):
    site.column("http://site.test/c/gfx/", "规范性文件")
    site.listed_doc("http://site.test/c/gfx/", "http://site.test/d/1", "某办法", fields=POLICY_FIELDS,
                    body_text="本办法自2020年1月1日起施行，有效期3年。")
    site.listed_doc("http://site.test/c/gfx/", "http://site.test/d/2", "另一办法",
                    fields={**POLICY_FIELDS, "有效性": "失效"}, body_text="有效期至2022年12月31日。")
    [f] = site.findings("expired_still_valid", AS_OF)
    assert f.url == "http://site.test/d/1" and f.field == "有效性" and f.evidence["valid_until"] == "2022-12-31"


def test_expired_range_and_period_counted_from_the_issue_date(site):
    site.column("http://site.test/c/gfx/", "规范性文件")
    site.listed_doc("http://site.test/c/gfx/", "http://site.test/d/3", "某措施", fields=POLICY_FIELDS,
                    body_text="本措施有效期自2020年3月1日起至2022年2月28日止。")
    site.listed_doc("http://site.test/c/gfx/", "http://site.test/d/4", "某通知",
                    fields={**POLICY_FIELDS, "成文日期": "2021-03-15", "发布日期": "2021-03-18"},
                    body_text="本通知自印发之日起施行，有效期2年。")
    site.listed_doc("http://site.test/c/gfx/", "http://site.test/d/5", "某办法", fields=POLICY_FIELDS,
                    body_text="本办法有效期自2023年2月1日起至2025年12月31日止。")
    found = {f.url: f.evidence["valid_until"] for f in site.findings("expired_still_valid", AS_OF)}
    assert found == {"http://site.test/d/3": "2022-02-28", "http://site.test/d/4": "2023-03-14"}
