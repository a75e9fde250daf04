"""Fixtures shared by every test folder in the repository."""

import os
import shutil
from collections.abc import Callable

import pytest


@pytest.fixture(scope="session")
def require_tool() -> Callable[[str], str]:
    """Return the path of an external tool (promtool, terraform, wrk...).

    Locally a missing tool skips the test with the install hint; under CI (CI=true) it fails,
    because .ci/run installs every tool and a skip there would hide a broken setup.
    """

    def find(name: str) -> str:
        path = shutil.which(name)
        if path:
            return path
        message = f"{name} is not on PATH; .ci/run installs it (see README, 'Running the tests')"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)

    return find
