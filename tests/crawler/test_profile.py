"""Site profiles: the shipped one loads; every kind of mistake is one line and exit code 3."""
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.settings import settings_from_profile
from govaudit.core.errors import EXIT_PROFILE, GovauditError
from govaudit.core.profile import load_profile

ROOT = Path(__file__).resolve().parents[2]

BAD = {
    "unknown key": ("start_urls: [http://a.gov.cn/]\npoliteness:\n  concurency: 3\n",
                    "politeness.concurency: unknown key"),
    "yaml syntax": ("start_urls: [http://a.gov.cn/\nsite_name: x\n", "YAML syntax error at line"),
    "wrong type": ("start_urls: [http://a.gov.cn/]\npoliteness: {timeout: fast}\n",
                   "politeness.timeout: expected number"),
    "bad url": ("start_urls: [ftp://a.gov.cn/]\n", "start_urls[0]: not an http(s) URL"),
    "bad regex": ("start_urls: [http://a.gov.cn/]\ncolumns:\n  - url_pattern: '(['\n",
                  "columns[0].url_pattern: bad regular expression"),
    "bad class": ("start_urls: [http://a.gov.cn/]\ncolumns:\n  - name_pattern: 动态\n    class: weekly\n",
                  "columns[0].class"),
    "bad field": ("start_urls: [http://a.gov.cn/]\ncolumns:\n  - name_pattern: 文件\n    required_fields: [文号]\n",
                  "columns[0].required_fields[0]"),
    "no start": ("site_name: 章丘\n", "'start_urls' is a required property"),
    "not a mapping": ("- a\n- b\n", "top level must be a mapping"),
    "bad report key": ("start_urls: [http://a.gov.cn/]\nreport:\n  deadline_days: 5\n",
                       "report.deadline_days: unknown key"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_profile_is_one_clear_line(tmp_path, case):
    text, expected = BAD[case]
    path = tmp_path / "site.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GovauditError) as err:
        load_profile(path)
    assert err.value.code == EXIT_PROFILE
    assert expected in err.value.message
    assert "\n" not in err.value.message


def test_missing_profile_file(tmp_path):
    with pytest.raises(GovauditError) as err:
        load_profile(tmp_path / "absent.yaml")
    assert err.value.code == EXIT_PROFILE and "file not found" in err.value.message


def test_cli_bad_profile_exits_3_with_one_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("start_urls: [http://a.gov.cn/]\nlink_check: {external_cap: many}\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "govaudit.cli", "scan", "--profile", str(path),
                        "--db", str(tmp_path / "x.db")], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert r.returncode == 3
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert "link_check.external_cap" in r.stderr


def test_shipped_jnzq_profile_is_valid_and_polite():
    profile = load_profile(ROOT / "profiles" / "jnzq.yaml")
    assert profile["start_urls"] == ["http://www.jnzq.gov.cn/"]
    settings = settings_from_profile(profile)
    assert settings["CONCURRENT_REQUESTS_PER_DOMAIN"] <= 2
    assert settings["ROBOTSTXT_OBEY"] is True
    assert "政务公开检查" in settings["USER_AGENT"]
    assert "topSearch" in settings["GOVAUDIT_IGNORE_PARAMS"]


def test_report_section_is_admitted_and_every_report_setting_is_in_the_schema(tmp_path):
    """The report reads a profile's report: section; each of its settings must validate."""
    from govaudit.report.settings import settings

    path = tmp_path / "site.yaml"
    path.write_text("start_urls: [http://a.gov.cn/]\nreport:\n  rectification_working_days: 10\n"
                    "  issuer: 济南市章丘区人民政府办公室\n", encoding="utf-8")
    profile = load_profile(path)
    assert settings(profile["report"])["rectification_working_days"] == 10
    from govaudit.core.profile import PROFILE_SCHEMA
    assert set(PROFILE_SCHEMA["properties"]["report"]["properties"]) == set(settings())


def test_profile_error_names_the_whole_path_and_every_problem(tmp_path, monkeypatch):
    """One line still, but with the absolute path of the file and all of its problems, each at its key."""
    (tmp_path / "profiles").mkdir()
    path = tmp_path / "profiles" / "site.yaml"
    path.write_text("start_urls: [www.jnzq.gov.cn]\npoliteness:\n  delay: -1\n  concurency: 3\n"
                    "link_check: {external_cap: many}\ncolumns:\n  - url_pattern: '(['\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(GovauditError) as err:
        load_profile("profiles/site.yaml")
    message = err.value.message
    assert err.value.code == EXIT_PROFILE and "\n" not in message
    assert f"bad profile {path}: 5 errors: " in message
    for where in ("politeness.delay:", "politeness.concurency: unknown key", "link_check.external_cap: expected",
                  "start_urls[0]: not an http(s) URL", "columns[0].url_pattern: bad regular expression"):
        assert where in message, (where, message)


def test_audit_section_error_names_the_profile_file(tmp_path):
    path = tmp_path / "site.yaml"
    path.write_text("start_urls: [http://a.gov.cn/]\naudit:\n  nonsense_threshold: 3\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "govaudit.cli", "scan", "--profile", str(path),
                        "--db", str(tmp_path / "x.db")], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert r.returncode == 3 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "nonsense_threshold" in r.stderr and str(path) in r.stderr
