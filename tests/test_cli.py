"""The CLI contract: bad input gives one clear line and a non-zero exit, never a traceback."""
import subprocess
import sys


def run(*args):
    return subprocess.run([sys.executable, "-m", "govaudit.cli", *args], capture_output=True, text=True, timeout=60)


def test_malformed_as_of_is_one_line_exit_2():
    r = run("audit", "--db", "nowhere.db", "--as-of", "2023-13-45")
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert "YYYY-MM-DD" in r.stderr


def test_scan_without_source_is_usage_error():
    r = run("scan")
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert "--start-url" in r.stderr


def test_audit_on_missing_db_is_db_error(tmp_path):
    r = run("audit", "--db", str(tmp_path / "absent.db"))
    assert r.returncode == 5
    assert "Traceback" not in r.stderr
