"""SIGTERM under load loses nothing: wrk keeps 64 connections busy while the service drains.

wrk counts a request that got no complete answer as a read error (or a timeout); a reconnect the
closed socket refuses shows as a write error, for a request that was never sent. So a lost
request is a read error or a timeout, and there must be none.
"""

import json
import signal
import threading
import time

import httpx
import pytest
from harness import payloads, wrk

from predictor.features import CHALLENGE_EXAMPLE

pytestmark = pytest.mark.integration
BODY = json.dumps({"array": list(CHALLENGE_EXAMPLE)}).encode()
LOAD_SECONDS, SIGTERM_AT = 5, 2.0


@pytest.mark.parametrize("workers", [1, 2])
def test_sigterm_under_load_loses_no_request(predictor_factory, require_tool, tmp_path, workers):
    require_tool("wrk")
    running = predictor_factory({"WEB_CONCURRENCY": str(workers), "DRAIN_DELAY_SECONDS": "1", "TMPDIR": str(tmp_path)})
    bodies = tmp_path / "bodies.txt"
    bodies.write_bytes(payloads.single_lines())
    command = wrk.command(running.url, bodies, 2, 64, LOAD_SECONDS)
    output: dict[str, str] = {}
    load = threading.Thread(target=lambda: output.update(text=wrk.run(command, tmp_path / "wrk.txt")))
    load.start()
    time.sleep(SIGTERM_AT)
    running.process.send_signal(signal.SIGTERM)
    with httpx.Client(base_url=running.url) as client:
        readiness = [client.get("/health/ready").status_code]
        while readiness[-1] == 200 and len(readiness) < 50:
            readiness.append(client.get("/health/ready").status_code)
        during_delay = client.post("/api", content=BODY, headers={"content-type": "application/json"})
    log = running.stop()
    load.join()
    result = wrk.parse(output["text"], "drain")

    assert readiness[-1] == 503  # draining, said by a server that still answers
    assert during_delay.status_code == 200
    lost = result.errors.get("socket read", 0) + result.errors.get("socket timeout", 0)
    print(f"\n{workers} worker(s): {result.requests} answered, {lost} lost, {readiness.count(200)} ready after SIGTERM")
    assert result.requests > 0
    assert lost == 0, result.errors
    assert not [kind for kind in result.errors if kind.startswith(("status", "bad"))], result.errors
    assert running.process.returncode == 0
    assert list(tmp_path.glob("predictor-metrics-*")) == []  # the workers' metrics folder is gone
    assert '"severity":"ERROR"' not in log
