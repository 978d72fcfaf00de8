"""`govaudit demo`, the README's main command: serve the simulator, scan, audit, report.

Each test runs the command itself; the first run into a fresh folder (a whole crawl) is made once
by ``first_demo`` and each test continues from a copy of that folder."""
import json
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from govaudit import history
from govaudit.core import storage
from tests.conftest import AS_OF
from tests.ops.helpers import add_scan

DEMO = [sys.executable, "-m", "govaudit.cli", "-q", "demo", "--as-of", AS_OF.isoformat()]


def run_demo(out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*DEMO, "--out", str(out)], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def first_demo(tmp_path_factory):
    """(output folder, completed process) of `govaudit demo` into a new folder."""
    out = tmp_path_factory.mktemp("first") / "demo"
    r = run_demo(out)
    assert r.returncode == 0, r.stderr[-2000:]
    return out, r


@pytest.fixture
def demo_folder(first_demo, tmp_path):
    """A copy of the first demo's folder, for a test that runs the demo into it again."""
    return Path(shutil.copytree(first_demo[0], tmp_path / "demo"))


def test_demo_writes_a_report_of_the_simulated_site(first_demo):
    out, r = first_demo
    # The last line printed is the report's path, and it exists with its siblings.
    report = Path(r.stdout.strip().splitlines()[-1])
    assert report == out / "report.html" and report.is_file()
    for name in ("findings.json", "findings.xlsx", "通报.docx"):
        assert (out / name).is_file(), name

    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert findings["as_of"] == AS_OF.isoformat()
    assert findings["start_url"] == manifest["start_url"]
    # Every planted core defect is reported: the demo is a real scan, not a canned result.
    core = {"empty_column", "stale_column", "missing_element", "invalid_element", "missing_interpretation",
            "interpretation_one_way", "late_interpretation", "broken_link"}
    planted = {(d["check"], d["url"], d.get("field")) for d in manifest["defects"] if d["check"] in core}
    found = {(f["check"], f["url"], f.get("field")) for f in findings["findings"] if f["check"] in core}
    assert planted and planted <= found
    assert findings["inventory"]["documents"] == manifest["inventory"]["documents"]
    html = report.read_text(encoding="utf-8")
    assert "总体情况" in html and "空白栏目" in html


def _folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


@pytest.mark.slow   # two more demo runs, ~100 s; test_demo_writes_a_report_of_the_simulated_site stays in the default suite
def test_repeated_demos_into_one_folder_compare_and_do_not_pile_up(demo_folder):
    """The second demo is a re-scan of the same simulated site (与上次检查对比 with the first), and the
    folder keeps its size run after run instead of growing by a whole scan each time."""
    out = demo_folder
    sizes, manifests = [], []
    for run in range(3):
        if run:                     # the first run is the copied first demo
            r = run_demo(out)
            assert r.returncode == 0, r.stderr[-2000:]
        sizes.append(_folder_size(out))
        manifests.append(json.loads((out / "manifest.json").read_text(encoding="utf-8")))
        findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
        html = (out / "report.html").read_text(encoding="utf-8")
        if len(manifests) == 1:
            assert "与上次检查（" not in html
            first_scan = findings["scan_id"]
            # a scan of another simulated site (another port) left in the folder is cleared later
            (out / "httpcache" / "127.0.0.1_1").mkdir()
        else:
            # the same site at the same URLs: compared with the previous demo, nothing new, nothing fixed
            assert manifests[-1]["start_url"] == manifests[0]["start_url"]
            previous = int(findings["scan_id"]) - 1
            section = re.sub(r"<[^>]+>", "", html[html.find('id="compare"'):][:600])
            assert f"检查编号 #{previous}）相比，本次新发现问题0条，已整改0条" in section, section
    assert int(first_scan) == 1
    # only the newest scans and one HTTP cache are kept: the third run's folder is no larger than the
    # second's, and far from three first runs
    assert sizes[2] <= sizes[1] * 1.05 and sizes[2] < 2 * sizes[0], sizes
    port = urlsplit(manifests[-1]["start_url"]).port
    assert [p.name for p in (out / "httpcache").iterdir()] == [f"127.0.0.1_{port}"]


@pytest.mark.slow   # one more demo run, ~55 s
def test_a_demo_whose_previous_port_is_taken_still_runs_and_clears_the_old_site(demo_folder):
    out = demo_folder
    old = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["start_url"]
    engine = storage.connect(str(out / "govaudit.db"), create=False)
    add_scan(engine, "http://www.jnzq.gov.cn/", [])      # a real site's scan in the same database
    engine.dispose()
    with socket.socket() as blocker:            # another program now listens on the demo's port
        # (SO_REUSEADDR: the first demo's closed connections may still hold the port in TIME_WAIT)
        blocker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        blocker.bind(("127.0.0.1", urlsplit(old).port))
        blocker.listen()
        r = run_demo(out)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "is in use" in r.stderr and "cannot compare" in r.stderr
    new = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["start_url"]
    assert new != old and "与上次检查（" not in (out / "report.html").read_text(encoding="utf-8")
    # the scans and cache of the simulated site it can no longer reach are gone, a real site's stay
    engine = storage.connect(str(out / "govaudit.db"), create=False)
    assert {r["start_url"] for r in history.history_records(engine)} == {new, "http://www.jnzq.gov.cn/"}
    engine.dispose()
    assert [p.name for p in (out / "httpcache").iterdir()] == [f"127.0.0.1_{urlsplit(new).port}"]


def test_a_demo_folder_that_cannot_be_written_is_exit_6_in_one_line(tmp_path):
    """`govaudit demo --out` under a file (or on a read-only disk) is the documented exit 6 with one
    line, before the simulator starts; it was an internal error (exit 70)."""
    (tmp_path / "file").write_text("x")
    result = run_demo(tmp_path / "file" / "demo")
    assert result.returncode == 6, (result.returncode, result.stderr)
    assert result.stderr.startswith("govaudit: 无法写入输出目录") and len(result.stderr.splitlines()) == 1
