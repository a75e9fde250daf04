"""The environment header of every report: machine, versions, commit, so figures stay comparable."""

import os
import platform
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _first_line(*cmd: str, any_exit: bool = False) -> str:
    """First line a command prints ('' if it fails); wrk -v prints its version but exits 1."""
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=REPO)
    except OSError:
        return ""
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[0] if lines and (any_exit or done.returncode == 0) else ""


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def dirty() -> bool:
    """Uncommitted changes, or untracked files git does not ignore, in the repository."""
    return bool(_first_line("git", "status", "--porcelain"))


def commit() -> str:
    commit = _first_line("git", "rev-parse", "--short", "HEAD") or "no commit yet"
    return f"{commit} (uncommitted changes)" if dirty() else commit


def describe(workers: int | None, target: str) -> dict[str, str]:
    """A flat, printable description of where and with what a run happens."""
    wrk = _first_line("wrk", "-v", any_exit=True) or "not found"
    return {
        "run at (UTC)": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"),
        "target": target,
        "server workers": "n/a (remote)" if workers is None else str(workers),
        "CPU": cpu_model(),
        "cores": str(os.cpu_count()),
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "locust": metadata.version("locust"),
        "wrk": wrk.split(" [")[0],
        "git commit": commit(),
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
