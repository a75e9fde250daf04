"""platform/host/system-tools.sh, which `./task test` and the `./task` wrapper run first.

It runs here against stand-ins for id, sudo, apt-get and the tools, on a PATH that holds nothing
else: what it would install, and what it tells a user it cannot install for.
"""

import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "host" / "system-tools.sh"
SUITE = ("prometheus", "promtool", "wrk", "shellcheck", "curl", "terraform")
APT_GET = """
echo "apt-get $*" >> "$CALLS"
[ "$1" = install ] || exit 0
shift
for package in "$@"; do
  case $package in
    -*) continue ;;
    prometheus) tools="prometheus promtool" ;;
    python3-venv) tools=python3 ;;
    *) tools=$package ;;
  esac
  for tool in $tools; do printf '#!/bin/sh\\n' > "$BIN/$tool"; /bin/chmod +x "$BIN/$tool"; done
done
"""


class Machine:
    """A PATH with only the tools given; apt-get installs them, and it and sudo log their calls."""

    def __init__(self, root: Path, tools: tuple[str, ...], uid: int = 1000, sudo: bool = False) -> None:
        self.bin = root / "bin"
        self.bin.mkdir()
        self.log = root / "calls.log"
        self.log.touch()
        for tool in tools:
            self.stub(tool, "exit 0")
        self.stub("id", f"echo {uid}")
        self.stub("env", 'shift; exec "$@"')  # drops DEBIAN_FRONTEND=..., the only variable the script sets
        self.stub("apt-get", APT_GET)
        if sudo:
            self.stub("sudo", '[ "$1" = -n ] && exit 0; echo "sudo $*" >> "$CALLS"; exec "$@"')

    def stub(self, name: str, body: str) -> None:
        path = self.bin / name
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(0o755)

    def run(self, *tools: str, ci: bool = False) -> subprocess.CompletedProcess:
        env = {"PATH": str(self.bin), "BIN": str(self.bin), "CALLS": str(self.log)} | ({"CI": "true"} if ci else {})
        return subprocess.run(["/bin/sh", SCRIPT, *tools], env=env, capture_output=True, text=True, timeout=30)

    def calls(self) -> list[str]:
        return self.log.read_text().splitlines()


def test_nothing_happens_when_every_tool_is_there(tmp_path):
    machine = Machine(tmp_path, SUITE)
    result = machine.run(*SUITE)
    assert (result.returncode, result.stderr, machine.calls()) == (0, "", [])


def test_without_root_or_sudo_it_stops_with_one_line_saying_what_to_run(tmp_path):
    machine = Machine(tmp_path, ("prometheus", "shellcheck", "curl"))
    result = machine.run(*SUITE)
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("missing system tools: promtool wrk terraform. ")
    assert "sudo apt-get update && sudo apt-get install -y --no-install-recommends prometheus wrk;" in result.stderr
    assert "terraform is not in Debian's packages" in result.stderr
    assert machine.calls() == []


def test_as_root_it_installs_each_missing_package_once(tmp_path):
    machine = Machine(tmp_path, ("shellcheck", "curl", "terraform"), uid=0)
    result = machine.run(*SUITE)
    assert result.returncode == 0, result.stderr
    assert machine.calls() == ["apt-get update -qq", "apt-get install -y -qq --no-install-recommends prometheus wrk"]


def test_with_passwordless_sudo_it_installs_through_sudo(tmp_path):
    machine = Machine(tmp_path, ("prometheus", "promtool", "shellcheck", "terraform"), sudo=True)
    result = machine.run(*SUITE)
    assert result.returncode == 0, result.stderr
    assert machine.calls()[-2:] == [
        "sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk curl",
        "apt-get install -y -qq --no-install-recommends wrk curl",
    ]


def test_a_package_that_does_not_bring_its_tool_is_an_error(tmp_path):
    machine = Machine(tmp_path, (), uid=0)
    machine.stub("apt-get", "exit 0")  # "succeeds", installs nothing
    result = machine.run("wrk")
    assert result.returncode == 1
    assert "wrk is still missing after apt-get" in result.stderr


@pytest.mark.parametrize(("ci", "status"), [(False, 0), (True, 1)], ids=["locally", "under CI"])
def test_missing_terraform_is_a_warning_locally_and_an_error_under_ci(tmp_path, ci, status):
    machine = Machine(tmp_path, SUITE[:-1], uid=0)
    result = machine.run(*SUITE, ci=ci)
    assert result.returncode == status
    assert "terraform is not in Debian's packages" in result.stderr
    assert machine.calls() == []


def test_python_without_its_venv_module_gets_python3_venv(tmp_path):
    machine = Machine(tmp_path, (), uid=0)
    machine.stub("python3", "exit 1")  # Debian's python3 without python3-venv cannot import ensurepip
    result = machine.run("python3-venv")
    assert machine.calls()[-1] == "apt-get install -y -qq --no-install-recommends python3-venv"
    assert result.returncode == 0, result.stderr
