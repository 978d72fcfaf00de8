"""The memory benchmark's measure of a command: its largest process, and all its processes together."""
from __future__ import annotations

import json
import subprocess
import sys

# A parent holding 40 MB that starts a child holding 80 MB, both alive for a second.
TREE = """
import subprocess, sys, time
held = bytearray(40 << 20)
child = subprocess.Popen([sys.executable, "-c", "import time; held = bytearray(80 << 20); time.sleep(1.5)"])
child.wait()
"""


def test_a_command_and_its_child_are_counted_together_and_apart():
    # Measured from a small interpreter, as `python -m govaudit.benchmem` is: Linux carries the
    # measuring process's resident set into its child's ru_maxrss, and pytest's is large.
    measure = ("import json, sys; from govaudit.benchmem import measure; "
               "print(json.dumps(measure([sys.executable, '-c', sys.argv[1]])))")
    figures = json.loads(subprocess.run([sys.executable, "-c", measure, TREE], capture_output=True, text=True,
                                        check=True, timeout=60).stdout)
    # The largest single process is the child (80 MB and an interpreter); together they are more.
    assert 80 <= figures["peak_rss_mb"] < 120
    assert figures["peak_tree_rss_mb"] >= figures["peak_rss_mb"] + 40
    assert figures["peak_tree_pss_mb"] >= 120
    assert figures["processes_at_peak"] == 2
