"""The spools: findings and frames back in order, and kept in memory when the temporary file fails."""
import tempfile

import pandas as pd
import pytest

from audits.model import Finding
from audits.spool import ColumnSpool, FindingSpool, PartSpool, in_report_order


def _findings(prefix: str, n: int) -> list[Finding]:
    return [Finding(check="c", url=f"http://a.test/{prefix}{i}", message="正文", unit=prefix or None,
                    evidence={"i": i}) for i in range(n)]


def test_findings_come_back_in_order_with_their_units():
    spool = FindingSpool()
    parts = [_findings("甲", 3), [], _findings("", 2), _findings("乙", 1000)]
    for part in parts:
        spool.add(part)
    back = spool.read()
    assert [f.url for f in back] == [f.url for part in parts for f in part]
    assert back[4].evidence == {"i": 1}
    assert spool.count == 1005 and spool.units == {"甲", "", "乙"}


def test_a_temporary_file_that_cannot_be_written_keeps_the_findings_in_memory():
    spool = FindingSpool()
    first, second, third = _findings("a", 2), _findings("b", 2), _findings("c", 2)
    spool.add(first)

    def full(_data):
        raise OSError(28, "No space left on device")
    spool._parts._file.write = full
    spool.add(second)
    spool.add(third)
    assert [f.url for f in spool.read()] == [f.url for f in first + second + third]


def test_findings_are_read_back_a_part_at_a_time_and_as_often_as_asked(monkeypatch):
    monkeypatch.setattr(FindingSpool, "PART", 2)
    spool = FindingSpool()
    first, second = _findings("a", 5), _findings("b", 1)
    spool.add(first)
    spool.add(second)
    assert len(spool._parts) == 4          # 2 + 2 + 1, then 1: no part holds more than PART
    urls = [f.url for f in first + second]
    assert [f.url for f in spool.findings()] == urls
    assert [f.url for f in spool.findings()] == urls


def test_a_rules_findings_come_in_report_order_each_key_once_the_first_in_that_order():
    made = [Finding(check="c", url="http://a.test/2", message="后", unit="乙", evidence={"n": 1}),
            Finding(check="c", url="http://a.test/1", message="先", unit="乙", field="索引号", evidence={"n": 2}),
            Finding(check="c", url="http://a.test/3", message="无单位", evidence={"n": 3}),
            Finding(check="c", url="http://a.test/1", message="同键", unit="乙", field="索引号", evidence={"n": 4}),
            Finding(check="c", url="http://a.test/1", message="另一字段", unit="乙", field="发文字号", evidence={"n": 5}),
            # The key is check|url|field: in another unit it is still the same problem.
            Finding(check="c", url="http://a.test/1", message="同键，另一单位", unit="甲", field="索引号", evidence={"n": 6})]
    expected = sorted(made, key=lambda f: (str(f.unit or ""), f.url, f.field or ""))      # stable, as before
    seen, kept = set(), []
    for f in expected:
        if f.key not in seen:
            seen.add(f.key)
            kept.append(f)
    back = list(in_report_order(iter(made)))
    assert [f.evidence["n"] for f in back] == [f.evidence["n"] for f in kept] == [3, 5, 2, 1]
    assert back[0] is not made[2] and back[0].message == "无单位"      # read back from the file


def test_a_rule_that_fails_midway_gives_no_findings():
    def failing():
        yield from _findings("a", 3)
        raise RuntimeError("broken page")
    out = in_report_order(failing())
    with pytest.raises(RuntimeError):
        next(out)


def test_report_order_without_a_writable_temporary_file_keeps_the_findings_in_memory(monkeypatch):
    def no_file(**_kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(tempfile, "TemporaryFile", no_file)
    made = _findings("甲", 3) + _findings("乙", 2)         # 乙 (U+4E59) sorts before 甲 (U+7532)
    assert [f.url for f in in_report_order(made)] == [f.url for f in made[3:] + made[:3]]


def test_findings_come_back_by_their_rules_rank_whatever_order_the_rules_ran_in(monkeypatch):
    monkeypatch.setattr(FindingSpool, "PART", 2)
    spool = FindingSpool()
    late, early, middle = _findings("c", 3), _findings("a", 3), _findings("b", 1)
    spool.add(late, rank=2)
    spool.add(early, rank=0)
    spool.add(middle, rank=1)
    assert [f.url for f in spool.findings()] == [f.url for f in early + middle + late]


def _view_like(start: int, n: int) -> pd.DataFrame:
    """Object columns of text and of dicts, and a bool one, by URL: as audits.docview builds them."""
    index = pd.Index([f"http://a.test/{i}" for i in range(start, start + n)], name="url", dtype=object)
    return pd.DataFrame({"title": pd.Series([f"标题{i}" for i in range(n)], index=index, dtype=object),
                         "fields": pd.Series([{"索引号": str(i)} for i in range(n)], index=index, dtype=object),
                         "fetched_ok": pd.Series([i % 2 == 0 for i in range(n)], index=index, dtype=bool),
                         "publish_date": pd.Series([None] * n, index=index, dtype=object)}, index=index)


def test_column_spool_gives_each_frame_back_as_it_was_as_often_as_asked():
    spool, frames = ColumnSpool(), [_view_like(0, 3), _view_like(3, 0), _view_like(3, 2)]
    for frame in frames:
        spool.add(frame)
    for _ in range(2):
        back = list(spool.parts())
        assert len(back) == len(spool) == 3
        for got, frame in zip(back, frames):
            pd.testing.assert_frame_equal(got, frame)       # dtypes too: text stays object, not str
            assert got.index.name == "url"
    spool.close()


def test_column_spool_reads_only_the_columns_asked_for_in_the_order_asked(monkeypatch):
    spool = ColumnSpool()
    spool.add(_view_like(0, 4))
    read = []
    real_part = PartSpool.part
    monkeypatch.setattr(PartSpool, "part", lambda self, i: read.append(i) or real_part(self, i))
    (got,) = spool.parts(["fetched_ok", "title"])
    assert list(got.columns) == ["fetched_ok", "title"]
    assert got["title"].tolist() == ["标题0", "标题1", "标题2", "标题3"] and got["fetched_ok"].dtype == bool
    assert read == [0, 3, 1]       # the index, then those two columns' pieces: nothing else unpickled
    (index_only,) = spool.parts(())
    assert index_only.empty and list(index_only.index) == [f"http://a.test/{i}" for i in range(4)]
    with pytest.raises(KeyError):
        next(spool.parts(["body_text"]))
    with pytest.raises(ValueError):
        spool.add(_view_like(4, 1)[["title"]])


def test_column_spool_without_a_writable_temporary_file_keeps_the_frames_in_memory(monkeypatch):
    def no_file(**_kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(tempfile, "TemporaryFile", no_file)
    spool = ColumnSpool()
    spool.add(_view_like(0, 2))
    (got,) = spool.parts(["title"])
    assert got["title"].tolist() == ["标题0", "标题1"]
