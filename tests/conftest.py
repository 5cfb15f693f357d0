"""Generic test helpers: run the ``marshallian`` command in-process or as a subprocess.

Both runners execute in a given working directory and return a :class:`CliResult`
(exit code, stdout, stderr), so a test can assert the command-line contract of
``docs/commands.md`` (exit 2 and one line on stderr for bad input, nothing written).
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property tests with a fixed seed sequence (derandomize) so that a landing is
# reproducible; local runs keep exploring new examples. The database stays local.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

#: The console script installed in the same environment as the running interpreter.
MARSHALLIAN_BIN = Path(sys.executable).parent / "marshallian"


@dataclass(frozen=True)
class CliResult:
    returncode: int
    stdout: str
    stderr: str


def run_cli_inprocess(args, cwd) -> CliResult:
    """``marshallian.cli.main(args)`` with cwd set to ``cwd`` and output captured."""
    from marshallian.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = main(list(args))
    finally:
        os.chdir(old)
    return CliResult(rc, out.getvalue(), err.getvalue())


def run_cli_subprocess(args, cwd, timeout=120) -> CliResult:
    """The installed ``marshallian`` script (the venv's) run in ``cwd``."""
    cmd = (
        [str(MARSHALLIAN_BIN)]
        if MARSHALLIAN_BIN.exists()
        else [sys.executable, "-c", "from marshallian.cli import entry; entry()"]
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    proc = subprocess.run(
        cmd + list(args),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(params=["inprocess", "subprocess"])
def run_cli(request):
    """A CLI runner ``run(args, cwd) -> CliResult``; parametrized over both ways."""
    return run_cli_inprocess if request.param == "inprocess" else run_cli_subprocess


@pytest.fixture
def dask_client():
    """A Dask client of a small in-process ``LocalCluster`` (two single-thread workers);
    the test is skipped where ``distributed`` is missing (it is in the test extra)."""
    distributed = pytest.importorskip(
        "distributed", reason="dask[distributed] is in the test extra"
    )
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def snapshot(directory) -> dict:
    """Every path below ``directory`` with its size and mtime (to prove nothing was written)."""
    root = Path(directory)
    return {
        str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
    }
