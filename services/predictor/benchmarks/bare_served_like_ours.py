"""The bare-ASGI ceiling served the way `predictor serve` serves our app: the same uvicorn config
(our HTTP protocol, with its limits and one write per response) in one process, HOST and PORT
from the environment. Against it, what remains between our service and the ceiling is what our
app itself costs per request (`./task bench:ceiling`).
"""

import sys

import uvicorn
from harness.server import REPO

from predictor.server import uvicorn_config
from predictor.settings import load_settings


def main() -> None:
    sys.path.insert(0, str(REPO / "loadtests/reference"))  # where `uvicorn --app-dir` finds it
    import bare_asgi

    uvicorn.Server(uvicorn_config(load_settings(), lambda: bare_asgi.app)).run()  # type: ignore[arg-type,return-value]


if __name__ == "__main__":
    main()
