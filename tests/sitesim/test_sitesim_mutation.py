"""A later generation fixes some defects, plants new ones, adds documents — and says so exactly."""
import pytest
from simcrawl import AS_OF, Crawl


from sitesim.server import start_background
from test_sitesim_defects import CORE, recompute


@pytest.fixture(scope="module")
def gen1():
    handle = start_background(seed=2023, size="small", as_of=AS_OF, mutation=1)
    yield handle
    handle.stop()


def keys(m):
    return {(d["check"], d["url"][len(m["start_url"]):], d["field"]) for d in m["defects"]}


def test_generation_differs_and_is_deterministic(sim, gen1):
    base, later = keys(sim.manifest), keys(gen1.manifest)
    assert len(base - later) >= 10, "some defects fixed"
    assert len(later - base) >= 3, "some new defects"
    assert gen1.manifest["inventory"]["documents"] > sim.manifest["inventory"]["documents"]
    again = start_background(seed=2023, size="small", as_of=AS_OF, mutation=1)
    try:
        # the port also appears in the external sites' URLs (sitesim/external.py)
        assert again.manifest_json().replace(again.url, "@").replace(f":{again.port}/", ":P/") == \
            gen1.manifest_json().replace(gen1.url, "@").replace(f":{gen1.port}/", ":P/")
    finally:
        again.stop()


def test_generation_manifest_matches_its_site(gen1):
    crawl = Crawl(gen1.url).run()
    site = {"cols": {c["url"]: c for c in gen1.manifest["columns"]}, "docs": {}, "member": {}}
    for url in crawl.pages:
        d = crawl.document(url)
        if d["title"]:
            site["docs"][url] = d
    for col_url, col in crawl.columns.items():
        for e in col["entries"]:
            site["member"].setdefault(e["url"], []).append(col_url)
    manifest = {(d["check"], d["url"], d["field"]) for d in gen1.manifest["defects"] if d["check"] in CORE}
    assert recompute(gen1, crawl, site) == manifest
    assert len(crawl.pages) == gen1.manifest["inventory"]["pages"]
