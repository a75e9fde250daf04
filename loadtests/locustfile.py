"""Realistic traffic for the predictor: mostly single flights (one-hot and by name), some batches, a few bad requests.

Every response is checked for meaning: a 200 must carry one 0/1 prediction per row sent, and a
malformed request passes only when it is refused with a 4xx and a JSON error body. Run settings
(users, run time, CSV/HTML output) live in locust.conf; `task loadtest` passes the rest.
"""

import os
import random

from harness.payloads import (
    BATCH_SIZES,
    FEATURES,
    batch_body,
    flights_body,
    malformed_requests,
    single_body,
    valid_vectors,
)
from locust import FastHttpUser, constant, constant_throughput, events, run_single_user, task

RNG = random.Random()  # noqa: S311 (it shapes traffic, it guards no secret)
VECTORS = valid_vectors()
SINGLES = [single_body(v) for v in VECTORS]
# Batch bodies are built once: encoding 100 rows per request would cost Locust more CPU than
# the server spends answering them.
BATCHES = [(rows, batch_body(RNG.choices(VECTORS, k=rows))) for rows in BATCH_SIZES for _ in range(16)]
BY_NAME = [flights_body([flight]) for flight in FEATURES.valid_flights()]
MALFORMED = malformed_requests()
TOKEN = os.environ.get("LOADTEST_BEARER_TOKEN") or os.environ.get("ID_TOKEN")


def check_predictions(resp, rows: int, key: str = "predicciones") -> None:
    """Fail the sample unless it is a 200 whose body holds `rows` predictions, each 0 or 1."""
    if resp.status_code != 200:
        resp.failure(f"status {resp.status_code}")
        return
    predictions = (resp.js or {}).get(key)
    if not isinstance(predictions, list) or len(predictions) != rows:
        resp.failure("wrong number of predictions")
    elif any(p not in (0, 1) for p in predictions):
        resp.failure("prediction outside 0/1")


@events.init_command_line_parser.add_listener
def _add_arguments(parser) -> None:
    parser.add_argument(
        "--user-rps",
        type=float,
        default=0,
        env_var="LOCUST_USER_RPS",
        help="Requests per second each user aims for (0: back to back, no think time)",
    )


@events.init.add_listener
def _pace_users(environment, **_kwargs) -> None:
    options = environment.parsed_options
    rps = options.user_rps if options else 0
    PredictorUser.wait_time = constant_throughput(rps) if rps else constant(0)


class PredictorUser(FastHttpUser):
    """A client system calling the predictor; its pace comes from --user-rps."""

    wait_time = constant(0)

    def post(self, path: str, body: bytes, name: str, content_type: str = "application/json"):
        headers = {"Content-Type": content_type}
        if TOKEN:
            headers["Authorization"] = f"Bearer {TOKEN}"
        return self.rest("POST", path, data=body, headers=headers, name=name)

    @task(80)
    def single(self) -> None:
        with self.post("/api", RNG.choice(SINGLES), "/api") as resp:
            check_predictions(resp, 1)

    @task(10)
    def by_name(self) -> None:
        with self.post("/predict", RNG.choice(BY_NAME), "/predict") as resp:
            check_predictions(resp, 1, key="predict")

    @task(8)
    def batch(self) -> None:
        rows, body = RNG.choice(BATCHES)
        with self.post("/api/batch", body, "/api/batch") as resp:
            check_predictions(resp, rows)

    @task(2)
    def malformed(self) -> None:
        case = RNG.choice(MALFORMED)
        with self.post("/api", case.body, "/api (malformed)", case.content_type) as resp:
            if 400 <= resp.status_code < 500 and isinstance(resp.js, dict) and "error" in resp.js:
                resp.success()
            else:
                resp.failure(f"{case.name}: status {resp.status_code}, not a 4xx JSON error")


if __name__ == "__main__":
    run_single_user(PredictorUser)
