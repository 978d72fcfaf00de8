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
