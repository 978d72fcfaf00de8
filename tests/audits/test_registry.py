"""A rule is one module: what the registry promises about every rule, whatever rules there are."""
from pathlib import Path

import pytest

from audits import docs
from audits.config import merged_config
from audits.registry import GUIDE_SECTIONS, all_rules, parse_doc
from audits.rules import rule_ids
from govaudit.report.settings import vocabulary

ROOT = Path(__file__).resolve().parents[2]
RULES = all_rules()


@pytest.mark.parametrize("r", RULES, ids=lambda r: r.id)
def test_every_rule_has_its_own_test_file(r):
    path = ROOT / "tests" / "audits" / "rules" / f"test_{r.id}.py"
    assert path.is_file(), f"add {path.relative_to(ROOT)} with the cases of {r.id}"
    assert f'"{r.id}"' in path.read_text(encoding="utf-8"), f"{path.name} never runs {r.id}"


@pytest.mark.parametrize("r", RULES, ids=lambda r: r.id)
def test_every_rule_documents_itself(r):
    doc = r.doc
    assert doc["summary"] and doc.get("url") and doc.get("refs"), \
        f"{r.id}: its docstring needs a summary, url: and refs:"
    assert set(doc["guide"]) == {key for key, _ in GUIDE_SECTIONS}, \
        f"{r.id}: its docstring needs 含义/依据/自查方法/整改方法"
    assert r.category is None or r.category in vocabulary()["categories"], \
        f"{r.id}: category {r.category} is not a title of govaudit/report/vocabulary.yaml categories"
    config = merged_config({})
    for key in r.config:
        node = config
        for part in key.split("."):
            assert isinstance(node, dict) and part in node, f"{r.id} names {key}, not in audits/defaults.yaml"
            node = node[part]


def test_orders_are_distinct():
    assert len({r.order for r in RULES}) == len(RULES)


def test_docstring_sections_join_lines_without_spaces_between_chinese():
    parsed = parse_doc("""Summary line
        continued.

        url: the page
        refs: A1

        含义：第一行
        第二行（GB/T 9704-2012）
        and more.
        依据：依据。

        Developer notes after a blank line are not part of the guide.
        """)
    assert parsed["summary"] == "Summary line continued."
    assert parsed["guide"]["meaning"] == "第一行第二行（GB/T 9704-2012） and more."
    assert parsed["guide"]["basis"] == "依据。" and parsed["url"] == "the page" and parsed["refs"] == "A1"


def test_the_rule_table_of_audits_md_is_written_from_the_registry():
    page = docs.DOC_FILE.read_text(encoding="utf-8")
    assert page == docs.render(page), "run: python3 -m audits.docs"


def test_rule_ids_are_known_without_importing_a_rule():
    # A scan checks its profile's audit section with rule_ids() before the crawl, in the process
    # that then waits on it: the ids must be the registry's, read without importing the rules.
    assert rule_ids() == {r.id for r in all_rules()}
    assert "empty_column" in rule_ids()
