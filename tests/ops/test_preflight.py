"""The checks before a scan's crawl, as their own process answers them (``govaudit.preflight``):
a known fault as its one line and exit code, a bug as one line that names its traceback file."""
from __future__ import annotations

from pathlib import Path

from govaudit import oneshot
from govaudit.core import storage
from govaudit.core.errors import EXIT_INTERNAL, EXIT_PROFILE

from .helpers import ask_oneshot


def _ask(request: dict) -> dict:
    return ask_oneshot("govaudit.preflight", request)


def test_a_bad_profile_is_answered_as_its_line_and_nothing_is_created(tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text("start_urls: [http://127.0.0.1:9/]\npoliteness: {concurency: 2}\n", encoding="utf-8")
    answer = _ask({"profile": str(profile), "db": str(tmp_path / "g.db"), "out": str(tmp_path / "out")})
    assert answer["code"] == EXIT_PROFILE and "politeness.concurency" in answer["error"]
    assert not (tmp_path / "g.db").exists() and not (tmp_path / "out").exists()


def test_a_good_request_creates_the_scan_row_for_the_waiting_process(tmp_path):
    answer = _ask({"start_url": "http://127.0.0.1:9/", "db": str(tmp_path / "g.db"), "quiet": True,
                   "owner_pid": 1})
    config = answer["config"]
    assert config["start_urls"] == ["http://127.0.0.1:9/"] and config["scan_id"] == 1 and answer["profile"] is None
    engine = storage.connect(config["db"], create=False)
    with engine.connect() as conn:
        row = conn.execute(storage.scan.select()).mappings().one()
    engine.dispose()
    assert (row["status"], row["pid"]) == ("running", 1)


def test_a_bug_is_one_line_naming_the_file_that_keeps_its_traceback():
    def broken(_request):
        raise RuntimeError("something unforeseen\nsecond line")

    answer = oneshot.answer(broken, {})
    assert answer["code"] == EXIT_INTERNAL
    assert answer["error"].startswith("内部错误 / internal error: RuntimeError: something unforeseen (traceback: ")
    trace = Path(answer["error"].rsplit("(traceback: ", 1)[1].rstrip(")"))
    assert "RuntimeError" in trace.read_text()
    trace.unlink()
