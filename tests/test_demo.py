"""`govaudit demo`, the README's main command: serve the simulator, scan, audit, report."""
import json
import subprocess
import sys
from pathlib import Path


def test_demo_writes_a_report_of_the_simulated_site(tmp_path):
    out = tmp_path / "demo"
    r = subprocess.run([sys.executable, "-m", "govaudit.cli", "-q", "demo", "--out", str(out), "--as-of", "2023-11-30"],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    # The last line printed is the report's path, and it exists with its siblings.
    report = Path(r.stdout.strip().splitlines()[-1])
    assert report == out / "report.html" and report.is_file()
    for name in ("findings.json", "findings.xlsx", "通报.docx"):
        assert (out / name).is_file(), name

    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert findings["as_of"] == "2023-11-30"
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
