"""The findings spool: back in order, and kept in memory when the temporary file fails."""
from audits.model import Finding
from audits.spool import FindingSpool


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
    assert len(spool._parts._where) == 4          # 2 + 2 + 1, then 1: no part holds more than PART
    urls = [f.url for f in first + second]
    assert [f.url for f in spool.findings()] == urls
    assert [f.url for f in spool.findings()] == urls
