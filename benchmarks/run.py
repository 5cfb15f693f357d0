"""Run every ``benchmarks/bench_*.py`` (each exposes ``main() -> dict``); ``make bench``.

Results print as tables and are saved to ``benchmarks/results/<name>.json`` (not committed).
Pass names to run a subset: ``python benchmarks/run.py core sweep``.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # bench scripts share benchmarks/_timing.py


def main(argv=None) -> int:
    names = argv if argv is not None else sys.argv[1:]
    files = sorted(HERE.glob("bench_*.py"))
    if names:
        files = [f for f in files if f.stem[len("bench_") :] in names]
    out_dir = HERE / "results"
    out_dir.mkdir(exist_ok=True)
    failed = 0
    for f in files:
        print(f"\n=== {f.stem} ===", flush=True)
        spec = importlib.util.spec_from_file_location(f.stem, f)
        mod = importlib.util.module_from_spec(spec)
        t0 = time.perf_counter()
        try:
            spec.loader.exec_module(mod)
            result = mod.main()
        except Exception as exc:  # report and go on with the others
            print(f"{f.stem} failed: {type(exc).__name__}: {exc}")
            failed += 1
            continue
        result = dict(result or {})
        result["wall_seconds"] = round(time.perf_counter() - t0, 3)
        (out_dir / f"{f.stem}.json").write_text(json.dumps(result, indent=2, default=str))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
