"""链接指向已关停或被劫持网站 (hijacked_link): its cases on hand-built snapshots."""
AS_OF = "2023-11-30"
HOME = "http://site.test/"


def _link(site, url, outcome="ok", status=200, external=None):
    site.link(url, status=status, outcome=outcome, sources=[HOME], on_homepage=True,
              signals={"external": external} if external else None)


def test_dead_redirected_and_parked_external_sites(site):
    site.page(HOME, kind="homepage")
    _link(site, "http://www.old-friend.com/", "dns", None)
    _link(site, "http://www.parked.com/", external={"title": "该域名正在出售", "text": "Domain for sale"})
    _link(site, "http://zs.oldsite.com/", external={"final_url": "http://www.bet-888.net/", "redirects": ["x"]})
    _link(site, "http://www.company.com/a", external={"final_url": "http://www.company.com/b", "title": "公司"})
    _link(site, "http://cdn.company.com/", external={"final_url": "http://www.company.com/"})   # same domain
    _link(site, "http://www.oldunit.gov.cn/", "dns", None)               # a gov.cn site: a broken link
    found = {f.url: f for f in site.findings("hijacked_link", AS_OF)}
    assert {u: f.evidence["kind"] for u, f in found.items()} == {
        "http://www.old-friend.com/": "dns", "http://www.parked.com/": "parked", "http://zs.oldsite.com/": "redirect"}
    assert found["http://zs.oldsite.com/"].evidence["final_url"] == "http://www.bet-888.net/"
    broken = {f.url for f in site.findings("broken_link", AS_OF)}
    assert broken == {"http://www.oldunit.gov.cn/"}, "one problem, one finding"


def test_a_scan_where_no_lookup_worked_proves_no_domain_dead(site):
    """A scanner without a name service (an offline or filtered network) fails every lookup:
    the site itself answered by address, no other host name answered, so the failures are no
    finding at all (the report says once that they were not verified), never broken or hijacked.
    A reserved name (.invalid) never resolves anywhere and needs no proof."""
    home = "http://127.0.0.1:8080/"
    site.page(home, kind="homepage")
    for url, outcome, status in [(home + "a.html", "ok", 200), ("http://www.hanweb.com/", "dns", None),
                                 ("http://www.oldunit.gov.cn/", "dns", None), ("http://old.invalid/", "dns", None)]:
        site.link(url, status=status, outcome=outcome, sources=[home], on_homepage=True)
    assert {f.url for f in site.findings("hijacked_link", AS_OF)} == {"http://old.invalid/"}
    assert {f.url for f in site.findings("broken_link", AS_OF)} == set()
    assert site.findings("link_inconclusive", AS_OF) == []
    assert site.audit(AS_OF)["inventory"]["links_unverified"] == 2
    # Once any host name answered, a failed lookup is a dead domain again.
    site.link("http://www.example-news.com.cn/", status=200, outcome="ok", sources=[home])
    assert {f.url for f in site.findings("hijacked_link", AS_OF)} == {"http://old.invalid/", "http://www.hanweb.com/"}
    assert {f.url for f in site.findings("broken_link", AS_OF)} == {"http://www.oldunit.gov.cn/"}
