"""The snapshot's shared views (snapshot.VIEWS): each rule names the views it asks for, and the
runner lets a view go after the last rule that names it, without changing a finding.
Read-only on the session's small site."""
from __future__ import annotations

import pandas as pd
import pytest

from audits.config import merged_config
from audits.interpretations import pairs
from audits.registry import all_rules, rule
from audits.runner import AFTER_RULES, run_order, run_rules
from audits.snapshot import VIEWS, Snapshot
from govaudit.core import storage
from tests.conftest import AS_OF


@pytest.fixture(scope="module")
def engine(small_audit):
    engine = storage.connect(small_audit.db, create=False)
    yield engine
    engine.dispose()


def test_each_rule_names_the_views_it_asks_for(small_audit, engine):
    snapshot, config = Snapshot.load(engine, small_audit.scan_id), merged_config()
    asked = {}
    for r in all_rules():
        snapshot.release(VIEWS)              # as if it ran first: every view it needs is built for it
        snapshot.touched.clear()
        list(r.check(snapshot, config, AS_OF))
        asked[r.id] = set(snapshot.touched)
    unnamed = {r.id: sorted(asked[r.id] - set(r.views)) for r in all_rules() if asked[r.id] - set(r.views)}
    assert not unnamed, f"add these to the rules' @rule(views=[...]): {unnamed}"
    # (A rule may name more: what it asks for depends on the site.  A view named for nothing is
    # only held longer.)
    # The views a view's build asks for are not the rule's: the 解读 pairs read the relations.
    assert "relations" not in asked["missing_interpretation"] and "interp_pairs" in asked["missing_interpretation"]


def test_views_are_let_go_after_their_last_rule_and_the_findings_do_not_change(small_audit, engine, monkeypatch):
    config = merged_config()
    released: list[tuple[str, set]] = []
    held_after: list[tuple[str, set]] = []
    release = Snapshot.release

    def recording(self, views):
        views = set(views)
        released.append((current[0], views))
        release(self, views)
        held_after.append((current[0], self.held_views()))

    current = [None]
    import audits.runner as runner
    run_rule = runner._run_rule

    def named(r, *args):
        current[0] = r.id
        return run_rule(r, *args)

    monkeypatch.setattr(runner, "_run_rule", named)
    monkeypatch.setattr(Snapshot, "release", recording)
    snapshot = Snapshot.load(engine, small_audit.scan_id)
    let_go, errors = run_rules(snapshot, config, AS_OF)
    assert not errors
    run = run_order(all_rules())
    order = [r.id for r in run]
    assert order[0] == "serious_wording_error"        # its tables are gone before the other views come
    for rid, held in held_after:
        later = {v for r in run[order.index(rid) + 1:] for v in r.views}
        assert held <= later | set(AFTER_RULES), (rid, held)
    first_let_go = {v: rid for rid, views in reversed(released) for v in views}
    # The 解读 pairs and what they were built from go once the 解读 rules are done; the column
    # views after the column rules.
    assert order.index(first_let_go["interp_pairs"]) <= order.index("interpretation_single_form")
    assert order.index(first_let_go["relations"]) <= order.index("interpretation_single_form")
    assert order.index(first_let_go["column_view"]) <= order.index("stale_column")
    assert snapshot.held_views() <= set(AFTER_RULES) and "document_parts" in snapshot.held_views()

    monkeypatch.setattr(Snapshot, "release", lambda self, views: None)
    kept, errors = run_rules(Snapshot.load(engine, small_audit.scan_id), config, AS_OF)
    assert not errors
    assert [f.to_json() for f in let_go] == [f.to_json() for f in kept]
    assert {f.check for f in kept} >= {"missing_interpretation", "stale_column", "empty_column", "broken_link"}


def test_a_view_let_go_is_built_again_and_a_given_table_is_kept(small_audit, engine):
    snapshot, config = Snapshot.load(engine, small_audit.scan_id), merged_config()
    before = pairs(snapshot, config)
    assert {"interp_pairs", "relations"} <= snapshot.held_views() and len(before)
    relations = snapshot.relations
    snapshot.release(["interp_pairs", "relations"])
    assert not {"interp_pairs", "relations"} & snapshot.held_views()
    pd.testing.assert_frame_equal(pairs(snapshot, config), before)
    pd.testing.assert_frame_equal(snapshot.relations, relations)
    # A frame given to the snapshot (or restricted to a scope) is not the table's: never let go.
    snapshot.relations = relations.iloc[:1]
    snapshot.release(VIEWS)
    assert len(snapshot.relations) == 1


def test_a_view_must_be_one_of_the_snapshots():
    with pytest.raises(ValueError, match="VIEWS"):
        rule("bad_views", name="x", basis="x", severity="notice", views=["interp_pair"])
    with pytest.raises(ValueError, match="VIEWS"):
        Snapshot({"id": 1}, {}).memo(("no_such_view",), lambda: 1)
