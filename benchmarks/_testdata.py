"""The test suite's shared data and samplers (``tests/_helpers.py``) for the benchmarks.

A benchmark that times what a test checks draws its points with the very same sampler;
``tests/`` is put on the import path here (the benchmarks run as ``python
benchmarks/run.py`` from the repository root, or as scripts).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parents[1] / "tests"))

from _helpers import STATIC_CLAIMS, draw_alternative_points  # noqa: E402

__all__ = ["STATIC_CLAIMS", "draw_alternative_points"]
