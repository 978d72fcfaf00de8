import pytest
from simcrawl import AS_OF, Crawl

from sitesim.server import start_background


@pytest.fixture(scope="session")
def sim():
    handle = start_background(seed=2023, size="small", as_of=AS_OF)
    yield handle
    handle.stop()


@pytest.fixture(scope="session")
def crawl(sim):
    return Crawl(sim.url).run()
