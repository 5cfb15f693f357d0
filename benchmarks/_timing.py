"""Timing and printing helpers shared by the benchmark scripts."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def _medians(fn: Callable, repeat: int, clocks: tuple) -> tuple:
    """Median over ``repeat`` calls of ``fn()`` of the time each clock saw pass."""
    samples: list = [[] for _ in clocks]
    for _ in range(repeat):
        starts = [clock() for clock in clocks]
        fn()
        for seen, clock, t0 in zip(samples, clocks, starts):
            seen.append(clock() - t0)
    return tuple(statistics.median(seen) for seen in samples)


def median_time(fn: Callable, repeat: int) -> float:
    """Median wall-clock seconds of ``repeat`` calls of ``fn()``."""
    return _medians(fn, repeat, (time.perf_counter,))[0]


def median_cpu(fn: Callable, repeat: int) -> float:
    """Median CPU seconds of this process (``time.process_time``) over ``repeat`` calls: on a
    shared, loaded machine wall-clock medians include waiting for a core."""
    return _medians(fn, repeat, (time.process_time,))[0]


def median_wall_and_cpu(fn: Callable, repeat: int) -> tuple:
    """Medians of ``repeat`` calls: (wall seconds, CPU seconds of this process).

    On a shared, loaded machine the wall time is inflated by waiting for a core; the CPU
    time (user + system, all threads) is the work done.
    """
    return _medians(fn, repeat, (time.perf_counter, time.process_time))


def print_table(results: dict, name: str, value: str, width: int, fmt: str = "10.4g") -> None:
    """Print ``results`` as two columns: names left in ``width`` characters, values right
    aligned in the width of ``fmt`` (a format spec such as ``"10.4g"``; floats are formatted
    with it, other values (counts, notes) printed as they are), under a header."""
    value_width = int(fmt.split(".")[0])
    print(f"{name:<{width}} {value:>{value_width}}")
    for k, v in results.items():
        cell = f"{v:>{fmt}}" if isinstance(v, float) else f"{v!s:>{value_width}}"
        print(f"{k:<{width}} {cell}")


def print_targets(rows: list, width: int) -> None:
    """Print measures against their targets: ``rows`` of ``(name, value, unit, target)``
    (``target`` None when there is none; a value meets its target when ``<=``), names left
    in ``width`` characters."""
    print(f"{'measure (median)':<{width}} {'value':>10}  {'target':>8}  ok")
    for name, v, unit, target in rows:
        ok = "" if target is None else ("yes" if v <= target else "NO")
        t = "" if target is None else f"<= {target:g}"
        print(f"{name:<{width}} {v:>8.3f} {unit:<2} {t:>8}  {ok}")
