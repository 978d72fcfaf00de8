"""Retake the report screenshots in docs/img/ from the demo report, in headless Chromium at 1366 px.

    python3 scripts/screenshots.py                       # runs `govaudit demo` into a temporary folder
    python3 scripts/screenshots.py --report output/demo/report.html
    python3 scripts/screenshots.py --as-of 2026-11-30 --out docs/img

Needs Playwright (the `test` extra), Debian's /usr/bin/chromium and a CJK font (Debian:
fonts-noto-cjk); without such a font Chinese text is drawn as empty boxes, so the script refuses
to run. Run it from the repository root.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("GOVAUDIT_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTH, HEIGHT = 1366, 860


def fail(message: str) -> None:
    print(f"screenshots: {message}", file=sys.stderr)
    raise SystemExit(1)


def check_tools() -> None:
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        fail(f"Debian chromium not found at {CHROMIUM} (apt-get install chromium)")
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout if shutil.which(
        "fc-list") else ""
    if not fonts.strip():
        fail("no CJK font installed, Chinese would show as boxes (apt-get install fonts-noto-cjk)")


def demo_report(out: Path, as_of: str | None) -> Path:
    cmd = [sys.executable, "-m", "govaudit.cli", "-q", "demo", "--out", str(out)] + (["--as-of", as_of] if as_of else [])
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    report = out / "report.html"
    if not report.is_file():
        fail(f"govaudit demo wrote no report (exit {r.returncode}): {r.stderr.strip()[-500:]}")
    return report


def shoot(report: Path, img: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    img.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
                                    args=ARGS)
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        page.goto(report.resolve().as_uri())
        page.wait_for_load_state("load")
        page.evaluate("document.fonts.ready")
        taken = [img / "report-first-screen.png"]
        page.screenshot(path=str(taken[-1]))

        # The units chart: the figure alone, as the README shows it.
        taken.append(img / "report-units-chart.png")
        page.locator("section#units figure").screenshot(path=str(taken[-1]))

        # The 问题清单 as a reader scrolls to it: the sticky contents bar, the heading, the filters
        # and the first rows, the page margins included to show that the list fits the page.
        taken.append(img / "report-problem-list.png")
        page.evaluate("""() => { const bar = document.querySelector('nav.toc').getBoundingClientRect().height;
            const top = document.querySelector('section#list').getBoundingClientRect().top + window.scrollY;
            window.scrollTo(0, top - bar - 4); }""")
        page.screenshot(path=str(taken[-1]))
        browser.close()
    return taken


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--report", type=Path, help="an existing report.html (default: run govaudit demo)")
    parser.add_argument("--as-of", help="as-of date for the demo run (default: today)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img", help="folder for the PNGs (docs/img)")
    args = parser.parse_args(argv)
    check_tools()
    if args.report:
        if not args.report.is_file():
            fail(f"no such report: {args.report}")
        taken = shoot(args.report, args.out)
    else:
        with tempfile.TemporaryDirectory(prefix="govaudit-shots-") as tmp:
            taken = shoot(demo_report(Path(tmp) / "demo", args.as_of), args.out)
    for path in taken:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
