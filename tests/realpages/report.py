"""Print the per-page difference table of the real-page corpus.

    python3 -m tests.realpages.report            # from the repository root
    python3 tests/realpages/report.py --slow     # also the time each page took

Nothing is asserted: this is the table the corpus test puts in its failure message, for whoever
works on the extractor.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from realpages_corpus import by_check, by_site, difference_table, run_corpus, summarise  # noqa: E402


def main(argv: list[str]) -> int:
    results = run_corpus()
    print(difference_table(results))
    print()
    print(by_check(results))
    print()
    print(by_site(results))
    if "--slow" in argv:
        for r in sorted(results, key=lambda r: -r.seconds)[:10]:
            print(f"{r.seconds:6.2f} s  {r.file}")
    for r in results:
        if r.error:
            print(f"EXCEPTION {r.file}: {r.error}")
    print(summarise(results).line())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
