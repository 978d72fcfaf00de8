"""``govaudit sim``: serve the simulated site until interrupted."""
from __future__ import annotations

import datetime as dt
import errno
import json
import sys
import threading
from pathlib import Path

from govaudit.core.errors import EXIT_OUTPUT, EXIT_USAGE, GovauditError
from sitesim import external
from sitesim.generate import build_site, parse_size
from sitesim.manifest import build_manifest
from sitesim.pages import Pages
from sitesim.server import SimServer


def run_sim(args) -> int:
    size = parse_size(getattr(args, "size", "small"))
    as_of = getattr(args, "as_of", None) or dt.date.today()
    site = build_site(args.seed, size, as_of, getattr(args, "mutation", 0) or 0)
    try:
        server = SimServer((args.host, args.port), Pages(site))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise GovauditError(f"端口已被占用 / port {args.port} is already in use", EXIT_USAGE) from None
        raise GovauditError(f"无法监听 / cannot listen on {args.host}:{args.port}: {exc.strerror}", EXIT_USAGE) from None
    host, port = server.server_address[:2]
    others = external.start(site, SimServer, port) if host == "127.0.0.1" else []
    url = f"http://{host}:{port}/"
    if args.manifest:
        manifest = build_manifest(site, url.rstrip("/"))
        try:
            Path(args.manifest).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        except OSError as exc:
            server.server_close()
            raise GovauditError(f"无法写入清单 / cannot write manifest {args.manifest}: {exc.strerror}", EXIT_OUTPUT) from None
    print(url, flush=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.5)
    except KeyboardInterrupt:
        print("sitesim: stopped", file=sys.stderr)
    finally:
        server.shutdown()
        server.server_close()
        external.stop(others)
    return 0
