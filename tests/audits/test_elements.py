"""Where 要素缺失 and 要素不规范 meet (each rule's own cases are in tests/audits/rules/)."""
from tests.audits.conftest import POLICY_FIELDS
from tests.audits.rules.sites import POLICY, policy_site

AS_OF = "2023-11-30"


def test_placeholder_values_count_as_empty(site):
    policy_site(site)
    site.listed_doc(POLICY, "http://site.test/d/6", "某文件", fields={**POLICY_FIELDS, "发文字号": "无"})
    assert [f.field for f in site.findings("missing_element", AS_OF)] == ["发文字号"]
    assert site.findings("invalid_element", AS_OF) == []
