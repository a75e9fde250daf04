"""One rendered /metrics text shared by every worker for a few seconds (METRICS_CACHE_SECONDS)."""

import fcntl
import time
from collections.abc import Callable
from pathlib import Path


class SharedRender:
    """The last exposition, reused for `seconds` by every worker, so that a flood of scrapes costs
    one render per interval. Renders happen under a file lock in the workers' share folder, so the
    cached file always holds the newest merge and scrapes never go backwards, whichever worker
    answers. Without a share folder (in-process tests) or with 0 seconds, every scrape renders."""

    def __init__(self, folder: Path | None, seconds: float, render: Callable[[], bytes]) -> None:
        self.folder = folder if seconds > 0 else None
        self.seconds = seconds
        self.render = render

    def __call__(self) -> bytes:
        if self.folder is None:
            return self.render()
        cached = self.folder / "metrics.txt"
        with (self.folder / "metrics.lock").open("wb") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if time.time() - cached.stat().st_mtime < self.seconds:
                    return cached.read_bytes()
            except FileNotFoundError:
                pass
            text = self.render()
            partial = cached.with_suffix(".tmp")
            partial.write_bytes(text)
            partial.replace(cached)
            return text
