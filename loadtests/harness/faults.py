"""The service with deliberate model faults, for the load test's SLO drill only.

`uvicorn --app-dir loadtests harness.faults:create_app --factory` builds predictor.app.create_app,
then wraps the methods of predictor.classifier.LogisticModel: during the window that LOADTEST_FAULTS
names, a share of calls raise (the client gets a 500) and another share block the worker before
answering (a slow model stalls every request queued behind it). The service's own telemetry
records both, so the SLO rules see real 5xx and slow answers. Nothing in the service package can
turn faults on: they exist only in this launcher.

LOADTEST_FAULTS is JSON: {"after_s": 10, "for_s": 15, "error_share": 0.1, "slow_share": 0.002,
"slow_ms": 100}; the window opens `after_s` seconds after the first prediction the server makes.
"""

import functools
import json
import logging
import os
import random
import time
from collections.abc import Callable
from typing import Any

from predictor.app import create_app as create_service
from predictor.classifier import LogisticModel

WRAPPED = ("predict_one", "predict", "probability")


class InjectedFault(RuntimeError):
    """Raised by the wrapped model: a failure the drill asked for."""


class Plan:
    """Which calls fail or stall: shares of the calls made inside the window."""

    def __init__(self, after_s: float, for_s: float, error_share: float, slow_share: float, slow_ms: float) -> None:
        self.after_s, self.for_s = after_s, for_s
        self.error_share, self.slow_share, self.slow_ms = error_share, slow_share, slow_ms
        self.first: float | None = None
        self.rng = random.Random(17)  # noqa: S311 (it picks failing calls, it guards nothing)

    def apply(self) -> None:
        """Called before every model call: raise, stall or do nothing."""
        now = time.monotonic()
        self.first = self.first if self.first is not None else now
        if not self.after_s <= now - self.first < self.after_s + self.for_s:
            return
        draw = self.rng.random()
        if draw < self.error_share:
            raise InjectedFault("fault drill: injected model failure")
        if draw < self.error_share + self.slow_share:
            time.sleep(self.slow_ms / 1000)  # blocks the worker, as a slow model would


def _faulty(method: Callable[..., Any], plan: Plan) -> Callable[..., Any]:
    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        plan.apply()
        return method(*args, **kwargs)

    return call


class _DropInjectedTracebacks(logging.Filter):
    """uvicorn logs a traceback per failed request; the drill's own failures need none."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], InjectedFault))


def create_app() -> Any:
    app = create_service()  # loads and self-checks the model first, unwrapped
    plan = Plan(**json.loads(os.environ["LOADTEST_FAULTS"]))
    for name in WRAPPED:
        setattr(LogisticModel, name, _faulty(getattr(LogisticModel, name), plan))
    logging.getLogger("uvicorn.error").addFilter(_DropInjectedTracebacks())
    return app
