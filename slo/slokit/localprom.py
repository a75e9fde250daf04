"""Run Debian's prometheus on the repo's prometheus.yml and generated rules, loopback only.

The repo config is written for the compose stack; for a local run only the predictor job's
targets change (and the other jobs, whose hosts exist only inside compose, are dropped).
"""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import yaml

from slokit import paths

JOB = "predictor"


def render_config(
    targets: list[str], scrape_interval: str | None = None, evaluation_interval: str | None = None
) -> dict[str, Any]:
    """The repo config scraping only `targets` for the predictor job, rules by absolute path."""
    config: dict[str, Any] = yaml.safe_load(paths.PROMETHEUS_CONFIG.read_text(encoding="utf-8"))
    config["scrape_configs"] = [job for job in config["scrape_configs"] if job["job_name"] == JOB]
    config["scrape_configs"][0]["static_configs"] = [{"targets": targets}]
    config["rule_files"] = [str(paths.PROMETHEUS_CONFIG.parent / f) for f in config["rule_files"]]
    if scrape_interval:
        config["global"]["scrape_interval"] = scrape_interval
    if evaluation_interval:
        config["global"]["evaluation_interval"] = evaluation_interval
    return config


def start(config: dict[str, Any], listen: str, data_dir: Path, log: Path) -> subprocess.Popen[bytes]:
    """Start prometheus in the background; the caller stops it by its pid."""
    data_dir.mkdir(parents=True, exist_ok=True)
    config_file = data_dir / "prometheus.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    with log.open("w", encoding="utf-8") as out:
        return subprocess.Popen(
            [
                "prometheus",
                f"--config.file={config_file}",
                f"--storage.tsdb.path={data_dir / 'tsdb'}",
                f"--web.listen-address={listen}",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def wait_ready(listen: str, process: subprocess.Popen[bytes], attempts: int = 100) -> None:
    """Poll /-/ready; RuntimeError if prometheus exits or never gets ready."""
    for _ in range(attempts):
        if process.poll() is not None:
            raise RuntimeError(f"prometheus exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://{listen}/-/ready", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"prometheus on {listen} did not become ready")


def run(target: str, listen: str, data_dir: Path) -> int:
    """`observability:up`: start in the background, record the pid, wait until ready."""
    pidfile = data_dir / "prometheus.pid"
    if pidfile.exists():
        print(f"already running (pid {pidfile.read_text().strip()}); run observability:down first")
        return 1
    process = start(render_config([target]), listen, data_dir, data_dir / "prometheus.log")
    try:
        wait_ready(listen, process)
    except RuntimeError as error:
        print(f"{error}; see {data_dir / 'prometheus.log'}", file=sys.stderr)
        return 1
    pidfile.write_text(str(process.pid), encoding="utf-8")
    print(f"Prometheus on http://{listen} scraping {target} (pid {process.pid}, data {data_dir})")
    return 0


def stop(data_dir: Path) -> int:
    """`observability:down`: stop the prometheus whose pid `run` recorded."""
    pidfile = data_dir / "prometheus.pid"
    if not pidfile.exists():
        print("not running")
        return 0
    pid = int(pidfile.read_text(encoding="utf-8"))
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        print(f"pid {pid} was already gone")
    pidfile.unlink()
    return 0
