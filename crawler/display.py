"""The live terminal display of a crawl's progress in the parent process (rich).  The events it
shows come from the child's ``crawler.progress.ProgressReporter``; this module imports no Scrapy,
so the parent (``govaudit scan``) does not pay for it."""
from __future__ import annotations

from rich.console import Console
from rich.live import Live
from rich.table import Table


class ProgressDisplay:
    """Live terminal display for interactive runs (rich)."""

    def __init__(self):
        self.console = Console(stderr=True)
        self.live = Live(console=self.console, refresh_per_second=4, transient=False)
        self.last: dict = {}

    def render(self):
        c = self.last
        table = Table.grid(padding=(0, 2))
        table.add_row(
            f"[bold]抓取中 / crawling[/]  页面 pages [cyan]{c.get('pages', 0)}[/]",
            f"文件 documents [cyan]{c.get('documents', 0)}[/]",
            f"链接 links [cyan]{c.get('links_checked', 0)}[/]",
            f"错误 errors [red]{c.get('errors', 0)}[/]",
            f"{c.get('pages_per_s', 0)} pages/s",
            f"{c.get('elapsed', 0):.0f}s",
        )
        return table

    def start(self):
        self.live.start()

    def update(self, event: dict):
        if event.get("type") in ("progress", "done"):
            self.last = event
            self.live.update(self.render())
        elif event.get("type") == "fatal":
            self.console.print(f"[red]{event.get('message')}[/]")

    def stop(self):
        self.live.stop()
