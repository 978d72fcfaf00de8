"""``govaudit sim``: serve the simulated site until interrupted.

``--latency-ms`` answers every request that much late; what the server saw (requests in flight
overall and per host, requests/s) is written to ``--traffic`` (default ``traffic.json`` beside
the manifest) every second while it changes, and when the server stops.  ``--block`` makes it
act as a WAF (``sitesim.traffic.BlockRule``).
"""
from __future__ import annotations

import datetime as dt
import errno
import json
import signal
import sys
import threading
from pathlib import Path

from govaudit.core.errors import EXIT_OUTPUT, EXIT_USAGE, GovauditError
from sitesim import external
from sitesim.generate import build_site, parse_size
from sitesim.manifest import build_manifest
from sitesim.pages import Pages
from sitesim.server import SimServer
from sitesim.traffic import BlockRule


def _write(path: Path, doc: dict, what: str) -> None:
    try:
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    except OSError as exc:
        raise GovauditError(f"无法写入{what} / cannot write {path}: {exc.strerror}", EXIT_OUTPUT) from None


def _traffic_path(args) -> Path | None:
    if getattr(args, "traffic", None):
        return Path(args.traffic)
    return Path(args.manifest).with_name("traffic.json") if args.manifest else None


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def run_sim(args) -> int:
    size = parse_size(getattr(args, "size", "small"))
    as_of = getattr(args, "as_of", None) or dt.date.today()
    try:
        block = BlockRule.parse(args.block) if getattr(args, "block", None) else None
    except ValueError as exc:
        raise GovauditError(f"参数错误 / bad --block: {exc}", EXIT_USAGE) from None
    site = build_site(args.seed, size, as_of, getattr(args, "mutation", 0) or 0)
    try:
        server = SimServer((args.host, args.port), Pages(site), getattr(args, "latency_ms", 0) or 0, block)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise GovauditError(f"端口已被占用 / port {args.port} is already in use", EXIT_USAGE) from None
        raise GovauditError(f"无法监听 / cannot listen on {args.host}:{args.port}: {exc.strerror}", EXIT_USAGE) from None
    host, port = server.server_address[:2]
    others = external.start(site, SimServer, port) if host == "127.0.0.1" else []
    url = f"http://{host}:{port}/"
    traffic_path = _traffic_path(args)
    try:
        if args.manifest:
            _write(Path(args.manifest), build_manifest(site, url.rstrip("/")), "清单")
        if traffic_path:
            _write(traffic_path, server.traffic.snapshot(), "流量统计")
    except GovauditError:
        server.server_close()
        raise
    print(url, flush=True)
    signal.signal(signal.SIGTERM, _interrupt)     # systemctl stop / kill: write the figures, then exit
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    written = None
    try:
        while thread.is_alive():
            thread.join(1.0)
            snap = server.traffic.snapshot()
            if traffic_path and snap != written:
                _write(traffic_path, snap, "流量统计")
                written = snap
    except KeyboardInterrupt:
        print("sitesim: stopped", file=sys.stderr)
    finally:
        server.shutdown()
        server.server_close()
        if traffic_path:
            _write(traffic_path, server.traffic.snapshot(), "流量统计")
        external.stop(others)
    return 0
