"""链接待人工核实 (link_inconclusive): its cases on hand-built snapshots."""

AS_OF = "2023-11-30"


def test_waf_answers_are_inconclusive_not_broken(site):
    for i, status in enumerate((403, 412, 418, 429)):
        site.link(f"http://site.test/w{i}", status=status, outcome="http_4xx", sources=["http://site.test/d/1"])
    site.link("http://site.test/js", status=200, outcome="inconclusive", sources=["http://site.test/d/1"])
    assert site.findings("broken_link", AS_OF) == []
    found = site.findings("link_inconclusive", AS_OF)
    assert len(found) == 5 and {f.severity for f in found} == {"notice"}
