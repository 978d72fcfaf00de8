"""/proc as govaudit.core.procfs reads it, on real processes."""
from __future__ import annotations

import os
import subprocess
import sys

from govaudit.core import procfs


def test_a_child_and_its_child_are_found_with_their_memory_and_command():
    # A child holding 30 MB that starts a grandchild, which sleeps until stdin closes.
    code = ("import subprocess, sys; held = bytearray(30 << 20); "
            "subprocess.run([sys.executable, '-c', 'import sys; sys.stdin.read()'], stdin=sys.stdin)")
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE)
    try:
        for _ in range(200):
            below = procfs.descendants(os.getpid())
            grandchildren = procfs.children().get(child.pid, [])
            if grandchildren:
                break
            subprocess.run(["sleep", "0.05"], check=True)
        assert child.pid in below and grandchildren and grandchildren[0] in procfs.descendants(child.pid)
        assert procfs.descendants(child.pid)[0] == child.pid
        assert "held = bytearray" in procfs.cmdline(child.pid)
        assert procfs.rss_kib(child.pid) > 30 << 10 > procfs.rss_kib(grandchildren[0])
        assert 0 < procfs.pss_kib(child.pid) <= procfs.rss_kib(child.pid)
    finally:
        child.stdin.close()
        child.wait(timeout=30)
    assert procfs.rss_kib(child.pid) == procfs.pss_kib(child.pid) == 0 and procfs.cmdline(child.pid) == ""
