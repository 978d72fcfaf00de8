"""The simulator tests read the session's small simulated site (tests/conftest.py) with their own,
independent crawler (simcrawl.py), once per session."""
import pytest
from simcrawl import Crawl


@pytest.fixture(scope="session")
def sim(small_sim):
    return small_sim


@pytest.fixture(scope="session")
def crawl(small_sim):
    return Crawl(small_sim.url).run()
