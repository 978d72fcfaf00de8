"""Precision and recall of the audits against a ground-truth manifest (contracts.md).

Findings and manifest defects are matched by (check, url, field).  Used by the end-to-end
test and, as a command, to measure a whole simulated site::

    python -m audits.evaluate --size large --as-of 2023-11-30     # `govaudit sim` + `govaudit scan`, then compares
    python -m audits.evaluate --findings out/findings.json --manifest out/manifest.json

The command runs ``govaudit sim`` and ``govaudit scan`` as child processes and reads the files
they write; it never imports the simulator or the crawler.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

CORE_CHECKS = ("empty_column", "stale_column", "missing_element", "invalid_element", "missing_interpretation",
               "interpretation_one_way", "late_interpretation", "broken_link")


def _keys(records) -> set[tuple]:
    return {(r["check"], r["url"], r.get("field") or None) for r in records}


def compare(findings: list[dict], defects: list[dict], checks=None) -> pd.DataFrame:
    """One row per check: TP, FP, FN, precision, recall (1.0 when there is nothing to find)."""
    found, truth = _keys(findings), _keys(defects)
    checks = list(checks) if checks else sorted({k[0] for k in found | truth})
    rows = []
    for check in checks:
        f = {k for k in found if k[0] == check}
        t = {k for k in truth if k[0] == check}
        tp, fp, fn = len(f & t), len(f - t), len(t - f)
        rows.append({"check": check, "TP": tp, "FP": fp, "FN": fn,
                     "precision": tp / (tp + fp) if tp + fp else 1.0,
                     "recall": tp / (tp + fn) if tp + fn else 1.0})
    return pd.DataFrame(rows, columns=["check", "TP", "FP", "FN", "precision", "recall"]).set_index("check")


def mismatches(findings: list[dict], defects: list[dict], check: str) -> dict[str, list]:
    """The false positives and false negatives of one check, with their messages / notes."""
    found = {(r["check"], r["url"], r.get("field") or None): r for r in findings if r["check"] == check}
    truth = {(r["check"], r["url"], r.get("field") or None): r for r in defects if r["check"] == check}
    return {"FP": [(k, found[k].get("message")) for k in sorted(set(found) - set(truth), key=str)],
            "FN": [(k, truth[k].get("note")) for k in sorted(set(truth) - set(found), key=str)]}


def table_text(frame: pd.DataFrame) -> str:
    return frame.to_string(formatters={"precision": "{:.3f}".format, "recall": "{:.3f}".format})


LOOPBACK_POLITENESS = {"concurrency_per_host": 16, "concurrency": 16, "delay": 0, "autothrottle": False}


def _cli(*args) -> list[str]:
    return [sys.executable, "-m", "govaudit.cli", "-q", *args]


def simulate_and_scan(size: str, seed: int, as_of: str, out: Path) -> dict:
    """`govaudit sim` in a child process, then `govaudit scan` of it into ``out``; returns timings.

    Loopback only, so the profile lifts the per-host delay and concurrency limits.
    """
    out.mkdir(parents=True, exist_ok=True)
    manifest = out / "manifest.json"
    sim = subprocess.Popen(_cli("sim", "--port", "0", "--size", size, "--seed", str(seed), "--as-of", as_of,
                                "--manifest", str(manifest)), stdout=subprocess.PIPE, text=True)
    try:
        started = time.monotonic()
        url = sim.stdout.readline().strip()        # printed once the site is built and the manifest written
        if not url.startswith("http"):
            raise SystemExit("govaudit sim did not start")
        built = time.monotonic() - started
        profile = out / "profile.json"              # JSON is YAML
        profile.write_text(json.dumps({"start_urls": [url], "politeness": LOOPBACK_POLITENESS}), encoding="utf-8")
        started = time.monotonic()
        done = subprocess.run(_cli("scan", "--profile", str(profile), "--db", str(out / "govaudit.db"),
                                   "--as-of", as_of, "--out", str(out)), capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"govaudit scan failed ({done.returncode}): {done.stderr.strip()[-500:]}")
        return {"site_built_s": built, "scan_audit_report_s": time.monotonic() - started}
    finally:
        sim.terminate()
        sim.wait(timeout=30)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m audits.evaluate", description=__doc__.splitlines()[0])
    p.add_argument("--size", default=None, help="serve and scan the simulated site first (small | large | N)")
    p.add_argument("--seed", type=int, default=2023)
    p.add_argument("--as-of", default=None)
    p.add_argument("--out", default=None, help="scan output directory (default: a temporary one)")
    p.add_argument("--findings", default=None, help="findings.json to score")
    p.add_argument("--manifest", default=None, help="the simulator's manifest.json")
    p.add_argument("--all-checks", action="store_true", help="score every check, not only the eight core ones")
    p.add_argument("--show", type=int, default=10, help="list up to N mismatches per check")
    args = p.parse_args(argv)
    if args.size:
        out = Path(args.out or tempfile.mkdtemp(prefix="govaudit-eval-"))
        as_of = args.as_of or dt.date.today().isoformat()
        timings = simulate_and_scan(args.size, args.seed, as_of, out)
        print(f"--size {args.size} as of {as_of}: " + ", ".join(f"{k} {v:.0f}" for k, v in timings.items())
              + f"; output in {out}")
        findings_path, manifest_path = out / "findings.json", out / "manifest.json"
    elif args.findings and args.manifest:
        findings_path, manifest_path = Path(args.findings), Path(args.manifest)
    else:
        p.error("give --size, or --findings with --manifest")
    findings = json.loads(findings_path.read_text(encoding="utf-8"))
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    checks = None if args.all_checks else CORE_CHECKS
    frame = compare(findings["findings"], manifest["defects"], checks)
    print(table_text(frame))
    inv = findings.get("inventory", {})
    print("inventory found:", inv, " manifest:", manifest.get("inventory"))
    for check in frame.index:
        if args.show and (frame.loc[check, "FP"] or frame.loc[check, "FN"]):
            for kind, items in mismatches(findings["findings"], manifest["defects"], check).items():
                for key, text in items[:args.show]:
                    print(f"  {kind} {key[0]} {key[1]} {key[2] or ''} — {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
