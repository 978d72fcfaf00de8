"""The CLI contract: bad input gives one clear line and a non-zero exit, never a traceback."""
import subprocess
import sys

import pytest


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


@pytest.mark.parametrize("args", [
    ("scan", "--start-url", "http://127.0.0.1:99999/"),
    ("scan", "--start-url", "http://127.0.0.1:abc/"),
    ("scan", "--start-url", ""),
    ("scan", "--start-url", "http://[::1/"),
    ("scan", "--start-url", "http://exa mple.com/"),
    ("scan", "--start-url", "http://127.0.0.1:9/", "--max-pages", "-1"),
    ("scan", "--start-url", "http://127.0.0.1:9/", "--column", "not a url"),
    ("scan", "--start-url", "http://127.0.0.1:9/", "--column", "http://other.example/list/"),
    ("audit", "--db", "nowhere.db", "--scan", "0"),
    ("sim", "--port", "99999"),
    ("schedule", "daemon", "--start-url", "http://127.0.0.1:9/", "--output-root", "o", "--interval", "-5"),
    ("schedule", "crontab", "--start-url", "ftp://x/", "--output-root", "o"),
], ids=lambda a: " ".join(a)[:60])
def test_bad_arguments_are_one_line_exit_2_before_any_work(args, tmp_path):
    r = subprocess.run([sys.executable, "-m", "govaudit.cli", "-q", *args], capture_output=True, text=True,
                       timeout=60, cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "output").exists()      # nothing crawled, nothing written


def test_a_file_that_is_not_a_govaudit_database_is_exit_5(tmp_path):
    import sqlite3

    sqlite3.connect(tmp_path / "other.db").execute("create table x (a)")
    (tmp_path / "empty.db").touch()
    for db in ("other.db", "empty.db"):
        r = subprocess.run([sys.executable, "-m", "govaudit.cli", "history", "--db", str(tmp_path / db)],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 5 and "not a govaudit database" in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1


def test_unknown_audit_setting_in_a_profile_fails_before_the_crawl(tmp_path):
    profile = tmp_path / "p.yaml"
    # The start URL is unreachable: reaching the crawl would give exit 4, not 3.
    profile.write_text('start_urls: ["http://127.0.0.1:9/"]\naudit:\n  nonsense_threshold: 3\n', encoding="utf-8")
    r = run("-q", "scan", "--profile", str(profile), "--db", str(tmp_path / "g.db"))
    assert r.returncode == 3 and "nonsense_threshold" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args,given,meant", [
    (("scan", "--start-url", "www.jnzq.gov.cn"), "www.jnzq.gov.cn", "http://www.jnzq.gov.cn/"),
    (("scan", "--start-url", "http://www.jnzq.gov.cn/", "--column", "www.jnzq.gov.cn/col/col1234/index.html"),
     "www.jnzq.gov.cn/col/col1234/index.html", "http://www.jnzq.gov.cn/col/col1234/index.html"),
    (("schedule", "run", "--start-url", "127.0.0.1:8080"), "127.0.0.1:8080", "http://127.0.0.1:8080/"),
    (("schedule", "crontab", "--start-url", "www.jnzq.gov.cn"), "www.jnzq.gov.cn", "http://www.jnzq.gov.cn/"),
])
def test_a_bare_host_is_refused_with_the_url_it_probably_meant(args, given, meant, tmp_path):
    r = subprocess.run([sys.executable, "-m", "govaudit.cli", *args, "--db", str(tmp_path / "g.db")],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert given in r.stderr and f"did you mean {meant} " in r.stderr and "http://" in r.stderr
    assert not (tmp_path / "g.db").exists()      # refused before any work


def test_no_scheme_guess_for_what_is_not_a_host():
    r = run("scan", "--start-url", "ftp://www.jnzq.gov.cn/")
    assert r.returncode == 2 and "did you mean" not in r.stderr
