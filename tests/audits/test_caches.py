"""The rules' large tables (the 严重表述错误 matcher, the pinyin dictionaries, jieba's) are let go as soon
as the rule that builds them is done (audits.caches; it runs first: ``own_tables``), and built
again by the next audit in the process."""
import audits.runner as runner
from audits import caches, pinyin, wording
from tests.audits.test_runner import small_site

AS_OF = "2023-11-30"


def test_the_matcher_is_let_go_after_the_rules_and_built_again_by_the_next_audit(site, monkeypatch):
    small_site(site, blank=1, stale_dates=())
    site.column("http://site.test/c/dt/", "工作动态")
    site.listed_doc("http://site.test/c/dt/", "http://site.test/d/w1", "工作动态", fields={"发布日期": "2023-11-20"},
                    body_text="庆祝中华人民共合国成立74周年。")
    caches.release()                     # what other tests of this process built
    built = []
    release = caches.release

    def watched():
        built.append((wording.matcher.cache_info().currsize, pinyin.char_readings.cache_info().currsize,
                      wording._tokenizer.cache_info().currsize))
        release()
    monkeypatch.setattr(caches, "release", watched)
    held_by_the_others = []
    run_rule = runner._run_rule

    def watching(r, *args):
        if r.id != "serious_wording_error":
            held_by_the_others.append(wording.matcher.cache_info().currsize + wording._tokenizer.cache_info().currsize)
        return run_rule(r, *args)
    monkeypatch.setattr(runner, "_run_rule", watching)
    first = site.audit(AS_OF)
    # The rule built them, they went right after it (before every other rule), and at the end
    # of the rules there was nothing left to let go ...
    assert len(built) == 2 and built[0][0] >= 1 and built[0][1:] == (1, 1) and built[1] == (0, 0, 0)
    assert len(held_by_the_others) == len(runner.all_rules()) - 1 and set(held_by_the_others) == {0}
    assert wording.matcher.cache_info().currsize == 0 and pinyin.char_readings.cache_info().currsize == 0
    assert wording._tokenizer.cache_info().currsize == 0
    second = site.audit(AS_OF)           # ... and the next audit builds them again: the same findings
    assert len(built) == 4 and built[2:] == built[:2]
    assert [f["key"] for f in second["findings"]] == [f["key"] for f in first["findings"]]
    assert "serious_wording_error" in {f["check"] for f in first["findings"]}
