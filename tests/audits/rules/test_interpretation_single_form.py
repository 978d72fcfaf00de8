"""解读形式单一 (interpretation_single_form): its cases on hand-built snapshots."""
from tests.audits.rules.sites import base, interpretation

AS_OF = "2023-11-30"


def test_single_form(site):
    base(site)
    for i in range(5):
        interpretation(site, url=f"http://site.test/jd/{i}", title=f"《文件{i}》政策解读")
    [f] = site.findings("interpretation_single_form", AS_OF)
    assert f.severity == "notice" and f.evidence["text_only"] == 5
    interpretation(site, url="http://site.test/jd/v", title="视频解读：《文件0》")
    interpretation(site, url="http://site.test/jd/t", title="一图读懂《文件1》")
    assert site.findings("interpretation_single_form", AS_OF) == []   # 5 of 7 = 71 % ≤ 80 %
