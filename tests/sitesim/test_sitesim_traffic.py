"""The simulator measures politeness from the server's side: requests in flight overall and per
Host header, requests/s, answers ``--latency-ms`` late, and (``--block``) acts as a WAF."""
from __future__ import annotations

import http.client
import json
import subprocess
import sys
import threading
import time
from contextlib import contextmanager

import pytest

from sitesim.traffic import BlockRule


@contextmanager
def measured(handle, latency_s: float = 0.0, block: BlockRule | None = None):
    """The session's site answering ``latency_s`` late (and blocking), counters reset; restored after."""
    traffic = handle.traffic
    old = traffic.latency_s, traffic.block
    traffic.latency_s, traffic.block = latency_s, block
    traffic.reset()
    try:
        yield traffic
    finally:
        traffic.latency_s, traffic.block = old
        traffic.reset()


def get(port: int, path: str = "/", host: str = "127.0.0.1") -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": f"{host}:{port}"})
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def test_in_flight_counted_overall_and_per_host(small_sim):
    hosts = ["a.example"] * 3 + ["b.example"] * 2
    with measured(small_sim, latency_s=0.3) as traffic:
        threads = [threading.Thread(target=get, args=(small_sim.port, "/", h)) for h in hosts]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - t0
        snap = traffic.snapshot()
    assert elapsed >= 0.3                                   # answered late
    assert snap["requests"] == 5 and snap["in_flight_now"] == 0
    assert snap["max_in_flight"] == 5
    assert snap["hosts"]["a.example"]["max_in_flight"] == 3
    assert snap["hosts"]["b.example"]["max_in_flight"] == 2
    assert snap["peak_requests_per_s"] == 5


def test_sequential_requests_never_overlap(small_sim):
    with measured(small_sim, latency_s=0.02) as traffic:
        for _ in range(5):
            assert get(small_sim.port)[0] == 200
        snap = traffic.snapshot()
    assert snap["max_in_flight"] == 1 and snap["requests"] == 5
    assert snap["hosts"]["127.0.0.1"]["min_gap_ms"] >= 20
    # requests / (last start - first start): five requests at least 20 ms apart span 80 ms or more
    assert 0 < snap["requests_per_s"] <= 5 / (4 * 0.020)


def test_block_after_n_requests_then_lift(small_sim):
    with measured(small_sim, block=BlockRule.parse("after=3")) as traffic:
        statuses = [get(small_sim.port)[0] for _ in range(5)]
        traffic.lift()
        lifted = get(small_sim.port)[0]
        snap = traffic.snapshot()
    assert statuses == [200, 200, 200, 403, 403] and lifted == 200
    assert snap["blocked"]["127.0.0.1"]["refused"] == 2


def test_block_as_a_challenge_page_lifts_after_hold(small_sim):
    with measured(small_sim, block=BlockRule.parse("rps=2,mode=challenge,hold=0.5")):
        answers = [get(small_sim.port) for _ in range(4)]
        time.sleep(0.6)
        after = get(small_sim.port)
    assert [s for s, _ in answers] == [200] * 4
    assert b"<script>" in answers[-1][1] and len(answers[-1][1]) < 1024     # a tiny script-only page
    assert b"<script>" not in answers[0][1][:200] or len(answers[0][1]) > 1024
    assert after[0] == 200 and len(after[1]) > 1024


@pytest.mark.parametrize("spec", ["after=x", "mode=403", "speed=3"])
def test_bad_block_spec(spec):
    with pytest.raises(ValueError):
        BlockRule.parse(spec)


def test_sim_cli_writes_traffic_beside_the_manifest(tmp_path):
    manifest = tmp_path / "m.json"
    proc = subprocess.Popen([sys.executable, "-m", "govaudit.cli", "sim", "--port", "0", "--as-of", "2023-11-30",
                             "--latency-ms", "30", "--manifest", str(manifest)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = proc.stdout.readline().strip()
        port = int(url.rsplit(":", 1)[1].strip("/"))
        t0 = time.monotonic()
        assert get(port)[0] == 200
        assert time.monotonic() - t0 >= 0.03
    finally:
        proc.terminate()
        proc.wait(10)
    traffic = json.loads((tmp_path / "traffic.json").read_text(encoding="utf-8"))
    assert traffic["requests"] == 1 and traffic["max_in_flight"] == 1 and traffic["latency_ms"] == 30
    assert traffic["hosts"]["127.0.0.1"]["max_in_flight"] == 1


def test_sim_cli_rejects_a_bad_block(tmp_path):
    r = subprocess.run([sys.executable, "-m", "govaudit.cli", "sim", "--port", "0", "--block", "sometimes"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "--block" in r.stderr and "Traceback" not in r.stderr
