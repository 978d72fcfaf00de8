"""What the simulated server saw: requests in flight (overall, per Host header, per client
address), requests per second and the gaps between requests to one host; and, when asked, a
WAF-like block of a client that asks too much.

Politeness is judged from the server's side: the crawler's own counters only say what it meant
to do.  ``Traffic`` is shared by the server's handler threads; every update is a few integer
operations under one lock.

A block (``BlockRule``) answers 403 (or a JavaScript challenge page, as WAFs do) to a client
after it made ``after`` requests, or once it made more than ``above_rps`` requests within one
second; the block holds for ``hold_s`` seconds (``None``: until ``lift()``).
"""
from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field

CHALLENGE_PAGE = (b"<html><head><meta charset=\"utf-8\"></head><body><script>"
                  b"var _0x=\"a1b2\";document.cookie=\"__jsl_clearance=\"+_0x+\";path=/\";"
                  b"location.href=location.pathname+location.search;</script></body></html>")


@dataclass
class BlockRule:
    """When the server blocks one client (by its address) and how."""

    after: int | None = None          # block once a client made this many requests
    above_rps: float | None = None    # ... or more than this many requests within one second
    mode: str = "403"                 # "403" | "challenge" (a 200 page that only runs a script)
    hold_s: float | None = None       # the block lifts after this many seconds (None: lift())

    @classmethod
    def parse(cls, spec: str) -> "BlockRule":
        """``after=200,mode=challenge,hold=30`` / ``rps=20`` (the ``--block`` option)."""
        rule = cls()
        for part in filter(None, (p.strip() for p in spec.split(","))):
            key, _, value = part.partition("=")
            if key == "after":
                rule.after = int(value)
            elif key == "rps":
                rule.above_rps = float(value)
            elif key == "mode" and value in ("403", "challenge"):
                rule.mode = value
            elif key == "hold":
                rule.hold_s = float(value)
            else:
                raise ValueError(f"bad block option {part!r} (after=N, rps=M, mode=403|challenge, hold=S)")
        if rule.after is None and rule.above_rps is None:
            raise ValueError("a block needs after=N or rps=M")
        return rule


@dataclass
class _Client:
    requests: int = 0
    recent: deque = field(default_factory=deque)     # arrival times within the last second
    blocked_at: float | None = None
    blocked_answers: int = 0


class Traffic:
    """Thread-safe counters of what the server answered.  ``enter`` when a request arrives,
    ``leave`` when its answer is written; ``snapshot()`` for the figures, ``reset()`` to start a
    new measurement on a long-lived server."""

    def __init__(self, latency_s: float = 0.0, block: BlockRule | None = None):
        self.latency_s = latency_s
        self.block = block
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._now = {"all": 0}
            self._peak = {"all": 0}
            self._host_now: dict[str, int] = {}
            self._host_peak: dict[str, int] = {}
            self._host_last: dict[str, float] = {}
            self._host_gap: dict[str, float] = {}
            self._host_count: dict[str, int] = {}
            self._window: deque = deque()
            self._peak_rps = 0
            self._count = 0
            self._first = self._last = None
            self._clients: dict[str, _Client] = {}
            self._lifted = False

    def enter(self, host: str, client: str) -> bool:
        """Count one arriving request; False if the client is blocked (answer it refused)."""
        now = time.monotonic()
        host = host.lower()
        with self._lock:
            self._count += 1
            self._first = self._first if self._first is not None else now
            self._last = now
            for key, table, peak in (("all", self._now, self._peak), (host, self._host_now, self._host_peak)):
                table[key] = table.get(key, 0) + 1
                peak[key] = max(peak.get(key, 0), table[key])
            last = self._host_last.get(host)
            if last is not None:
                gap = now - last
                self._host_gap[host] = min(self._host_gap.get(host, gap), gap)
            self._host_last[host] = now
            self._host_count[host] = self._host_count.get(host, 0) + 1
            self._window.append(now)
            while self._window and now - self._window[0] > 1.0:
                self._window.popleft()
            self._peak_rps = max(self._peak_rps, len(self._window))
            return not self._blocks(client, now)

    def leave(self, host: str) -> None:
        host = host.lower()
        with self._lock:
            self._now["all"] -= 1
            self._host_now[host] -= 1

    def _blocks(self, client: str, now: float) -> bool:
        rule = self.block
        if rule is None or self._lifted:
            return False
        c = self._clients.setdefault(client, _Client())
        c.requests += 1
        c.recent.append(now)
        while c.recent and now - c.recent[0] > 1.0:
            c.recent.popleft()
        if c.blocked_at is not None and rule.hold_s is not None and now - c.blocked_at >= rule.hold_s:
            # lifted after the hold; count afresh (a resumed crawl may trip it again only by asking as much again)
            self._clients[client] = c = _Client(blocked_at=None)
            self._lifted = True
            return False
        if c.blocked_at is None and ((rule.after is not None and c.requests > rule.after)
                                     or (rule.above_rps is not None and len(c.recent) > rule.above_rps)):
            c.blocked_at = now
        if c.blocked_at is not None:
            c.blocked_answers += 1
            return True
        return False

    def lift(self) -> None:
        """End every block now; no client is blocked again on this server until ``reset()``."""
        with self._lock:
            self._lifted = True

    def snapshot(self) -> dict:
        with self._lock:
            span = (self._last - self._first) if self._count > 1 else 0.0
            return {
                "requests": self._count,
                "seconds": round(span, 3),
                "requests_per_s": round(self._count / span, 1) if span > 0 else None,
                "peak_requests_per_s": self._peak_rps,
                "max_in_flight": self._peak["all"],
                "in_flight_now": self._now["all"],
                "latency_ms": round(self.latency_s * 1000),
                "hosts": {h: {"requests": self._host_count[h], "max_in_flight": self._host_peak[h],
                              "min_gap_ms": round(self._host_gap[h] * 1000, 1) if h in self._host_gap else None}
                          for h in sorted(self._host_count)},
                "blocked": {addr: {"at_request": c.requests - c.blocked_answers, "refused": c.blocked_answers}
                            for addr, c in self._clients.items() if c.blocked_answers},
            }
