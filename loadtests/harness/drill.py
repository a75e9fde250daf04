"""The SLO drill: steady open-model traffic through a server that the harness breaks for a while.

The server is the service built by harness.faults (a uvicorn factory of the harness, never the
service package); the traffic is paced wrk at the challenge's own average rate (50,000 requests in
45 s); a quiet stretch, the fault window, a recovery. Prometheus scrapes the server throughout, so
the report shows the SLIs falling, the burn rates rising and the alerts the rules fire.
"""

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from harness import paced, phases, server, wrk

FILE = "drill_wrk.txt"


@dataclass(frozen=True)
class Plan:
    """The drill's timing and faults: shares of model calls that fail or stall in the window."""

    quiet_s: int = 10
    fault_s: int = 15
    recovery_s: int = 5
    error_share: float = 0.1
    slow_share: float = 0.002
    slow_ms: float = 100

    @property
    def seconds(self) -> int:
        return self.quiet_s + self.fault_s + self.recovery_s

    def faults(self) -> str:
        """LOADTEST_FAULTS for harness.faults."""
        keys = ("error_share", "slow_share", "slow_ms")
        return json.dumps({"after_s": self.quiet_s, "for_s": self.fault_s, **{k: asdict(self)[k] for k in keys}})


def spec(port: int, plan: Plan) -> server.Server:
    app = ("--app-dir", str(server.REPO / "loadtests"), "harness.faults:create_app", "--factory")
    command = (*server.UVICORN, "--host", "127.0.0.1", "--port", str(port), *app)
    return server.Server("predictor with faults", command, {"LOADTEST_FAULTS": plan.faults()}, "/health/ready")


def run(port: int, folder: Path, plan: Plan, rate: float, connections: int) -> list[str]:
    print(f"SLO drill: {rate:,.0f} req/s, faults from {plan.quiet_s} s for {plan.fault_s} s", flush=True)
    with server.running(spec(port, plan), port, folder / "drill_server.log") as url:
        cmd = paced.command(url, phases.write_payloads(folder), rate, plan.seconds, connections)
        with phases.progress("SLO drill", plan.seconds):
            wrk.run(cmd, folder / FILE)
    return cmd
