"""Fixtures shared by every test folder in the repository; servers start through harness.server, the
one launcher the load tests and benchmarks use too."""

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from harness.server import Running, free_port, predictor, start


@pytest.fixture(scope="session")
def require_tool() -> Callable[[str], str]:
    """Return the path of an external tool (promtool, terraform, wrk...).

    Locally a missing tool skips the test with the install hint; under CI (CI=true) it fails:
    `./task test` installs every tool (terraform aside) before any test, or stops.
    """

    def find(name: str) -> str:
        path = shutil.which(name)
        if path:
            return path
        message = f"{name} is not on PATH (README, 'Prerequisites', says how to get it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)

    return find


def start_predictor(log: Path, env: dict[str, str] | None = None) -> Running:
    """The real service (production settings unless `env` says otherwise), ready, on a free port."""
    port = free_port()
    return start(predictor(port, int((env or {}).get("WEB_CONCURRENCY", "1")), env), port, log)


@pytest.fixture
def predictor_factory(tmp_path: Path) -> Iterator[Callable[..., Running]]:
    """Start as many services as a test needs; all are stopped when it ends."""
    started: list[Running] = []

    def factory(env: dict[str, str] | None = None) -> Running:
        started.append(start_predictor(tmp_path / f"predictor-{len(started)}.log", env))
        return started[-1]

    yield factory
    for server in started:
        server.stop()


@pytest.fixture(scope="module")
def predictor_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """One service in its production configuration, shared by a test module."""
    running = start_predictor(tmp_path_factory.mktemp("predictor") / "predictor.log")
    yield running
    running.stop()
