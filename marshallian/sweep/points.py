"""Points of a sweep read from a file: CSV, NPZ, or JSON/TOML (numbers only)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import InvalidParameterError, Violation


def load_points(path) -> dict:
    """Points from a file: CSV (header of parameter names), NPZ (one 1-D array per
    name) or JSON/TOML (an array of objects, read by the core's numbers-only reader).

    Returns
    -------
    dict
        name -> 1-D float array, all of one length (>= 1).

    Examples
    --------
    >>> import os, tempfile
    >>> from marshallian.sweep import load_points
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "points.csv")
    ...     with open(path, "w") as f:
    ...         _ = f.write("lam_2S,beta\\n0.8,0.5\\n1.2,0.4\\n")
    ...     points = load_points(path)
    >>> points["lam_2S"].tolist(), points["beta"].tolist()
    ([0.8, 1.2], [0.5, 0.4])
    """
    import io
    import pickle
    import warnings
    import zipfile

    from ..params import parse_parameter_text, read_input

    p = Path(path)
    fname = f"file {str(path)!r}"
    suffix = p.suffix.lower()
    raw = read_input(path, what="--points")  # once (pipes), capped, regular files/pipes only
    if suffix == ".npz":
        try:
            with np.load(io.BytesIO(raw), allow_pickle=False) as z:
                data = {k: np.asarray(z[k]) for k in z.files}
        except (
            OSError,
            ValueError,
            EOFError,
            KeyError,
            zipfile.BadZipFile,
            pickle.UnpicklingError,
        ) as exc:
            raise InvalidParameterError(
                Violation(fname, str(exc).split("\n")[0], "must be a readable .npz of 1-D arrays")
            ) from None
    elif suffix == ".csv":
        try:
            fh = io.StringIO(raw.decode("utf-8"))
            header = fh.readline().strip()
            names = [h.strip() for h in header.split(",")]
            if not header or not all(names):
                raise ValueError("missing header of parameter names")
            rest = fh.read()
            if not rest.strip():
                raise ValueError("no rows after the header")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                arr = np.loadtxt(io.StringIO(rest), delimiter=",", dtype=float, ndmin=2)
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            raise InvalidParameterError(
                Violation(fname, str(exc).split("\n")[0], "must be a CSV with a header and numbers")
            ) from None
        if arr.size and arr.shape[1] != len(names):
            raise InvalidParameterError(
                Violation(fname, f"{arr.shape[1]} columns", f"header names {len(names)}")
            )
        if len(set(names)) != len(names):
            raise InvalidParameterError(Violation(fname, header, "duplicated column name"))
        data = {n: arr[:, i] if arr.size else np.empty(0) for i, n in enumerate(names)}
    else:
        parsed = parse_parameter_text(raw, path)
        for case in parsed.cases:
            if case.violations:
                raise InvalidParameterError(case.violations)
        cases = [case.values for case in parsed.cases]
        names = list(cases[0])
        for i, c in enumerate(cases):
            if list(c) != names and set(c) != set(names):
                raise InvalidParameterError(
                    Violation(
                        f"{fname}[{i}]", sorted(c), f"every point must set the same names {names}"
                    )
                )
        data = {n: np.array([c[n] for c in cases], dtype=float) for n in names}
    out = {}
    length = None
    for k, v in data.items():
        if v.ndim != 1 or v.dtype.kind not in "fiu":
            raise InvalidParameterError(
                Violation(
                    f"{fname}: {k}", f"shape {v.shape} {v.dtype}", "must be a 1-D array of numbers"
                )
            )
        if length is None:
            length = v.size
        if v.size != length:
            raise InvalidParameterError(
                Violation(f"{fname}: {k}", v.size, f"every column must have {length} values")
            )
        out[k] = v.astype(float)
    if not out or not length:
        raise InvalidParameterError(Violation(fname, 0, "must hold at least one point"))
    return out
