"""Entry point: python -m harness (run from loadtests/)."""

import sys

from harness.cli import main

sys.exit(main())
