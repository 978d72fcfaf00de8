"""不可用链接 and 链接待人工核实 together: what neither reports (each rule's own cases are in tests/audits/rules/)."""

AS_OF = "2023-11-30"


def test_ok_and_unchecked_links_are_fine(site):
    site.link("http://site.test/ok", status=200, outcome="ok", sources=["http://site.test/d/1"])
    site.link("http://site.test/later", status=None, outcome="unchecked", sources=["http://site.test/d/1"])
    assert site.findings("broken_link", AS_OF) == [] and site.findings("link_inconclusive", AS_OF) == []
