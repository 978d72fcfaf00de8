import datetime as dt

import pytest

from sitesim.server import start_background
from simcrawl import Crawl

AS_OF = dt.date(2026, 11, 27)


@pytest.fixture(scope="session")
def sim():
    handle = start_background(seed=2023, size="small", as_of=AS_OF)
    yield handle
    handle.stop()


@pytest.fixture(scope="session")
def crawl(sim):
    return Crawl(sim.url).run()
