"""Make the harness importable: the tests run from the repository root, the harness lives here."""

import sys
from pathlib import Path

LOADTESTS = Path(__file__).resolve().parents[1]
if str(LOADTESTS) not in sys.path:
    sys.path.insert(0, str(LOADTESTS))
