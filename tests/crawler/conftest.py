"""Crawler test fixtures: the simulated site over real HTTP and a shared crawl of it."""
from pathlib import Path

import pytest
from crawler_helpers import crawl_into, start_sim

HERE = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    """Slow crawler tests (the large site) run only when asked: ``pytest -m slow``."""
    if "slow" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="slow: run with -m slow")
    for item in items:
        if "slow" in item.keywords and HERE in Path(str(item.fspath)).parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def small_sim():
    sim = start_sim("small")
    yield sim
    sim.stop()


@pytest.fixture(scope="session")
def small_scan(small_sim, tmp_path_factory):
    """One full crawl of the small simulated site, shared by the read-only tests."""
    before = len(small_sim.requests)
    snap = crawl_into(tmp_path_factory.mktemp("small"), small_sim.url)
    snap.requests = list(small_sim.requests)[before:]
    return snap
