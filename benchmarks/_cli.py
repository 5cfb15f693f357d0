"""Run the command line in a new interpreter, as a user does, and time it."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time


def run_cli(*argv: str, env: dict | None = None) -> tuple:
    """Run ``marshallian ARGV...`` in a new interpreter (imports included); return
    ``(wall seconds, CPU seconds)``, the CPU time of the command and of the worker
    processes it started (user + system). A failing command raises."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from marshallian.cli import entry; entry()",  # the console script's code
            *argv,
        ],
        check=True,
        capture_output=True,
        env=None if env is None else {**os.environ, **env},
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu
