"""Fixtures of the report tests: a stored three-month history of the 章丘区 site."""
from __future__ import annotations

import pytest

from govaudit.core import storage
from govaudit.report import write_reports

from .report_builders import build_history


@pytest.fixture
def engine(tmp_path):
    engine = storage.connect(str(tmp_path / "govaudit.db"))
    yield engine
    engine.dispose()


@pytest.fixture
def history(engine):
    """(engine, scan ids, findings documents) of three audited monthly scans."""
    ids, docs = build_history(engine)
    return engine, ids, docs


@pytest.fixture
def written(history, tmp_path):
    """The report files of the latest month: (paths, findings documents of all months, scan ids)."""
    engine, ids, docs = history
    paths = write_reports(engine, ids[-1], tmp_path / "out", findings_doc=docs[-1])
    return paths, docs, ids
