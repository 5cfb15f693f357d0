"""On-disk cache of derived conditions and generated kernels.

Deriving the §4 conditions takes seconds; a new interpreter (a command, a notebook, a Dask
worker) would redo it every time. Results are kept in the platform's cache directory
(``platformdirs.user_cache_dir("marshallian")``, else ``$XDG_CACHE_HOME/marshallian`` or
``~/.cache/marshallian``; ``MARSHALLIAN_CACHE_DIR`` overrides it), one JSON file per model
and kind, keyed by:

* the model's definition (parameters and defaults, every SymPy coefficient, definitions,
  rules by name),
* the package version, and the source text of the modules that derive and compile
  (a changed derivation never reads an old answer).

Nothing read back is evaluated as text. Derived conditions are stored as expression trees
(class name from a fixed whitelist, arguments) and rebuilt by constructors chosen here;
generated kernel source, which is executed, is accepted only with a valid HMAC-SHA256
signature under a key derived from the cache directory and the package version. A file
that is unreadable, malformed, unsigned, signed for another key, or keyed for another
model or version is treated as missing: derived afresh and rewritten (atomically).

``cache=False`` on the Python entry points, ``--no-cache`` on the command line, or the
environment variable ``MARSHALLIAN_NO_CACHE=1`` bypass the cache (read and write).
Compiled modules (:func:`source_module`) leave an entry per source digest; a new entry
removes the same kind and model's entries left unused (:func:`prune`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import json
import os
from pathlib import Path

#: Bump to invalidate every cache file written by earlier layouts.
CACHE_FORMAT = 1
#: Modules whose source text is part of every key (derivation and code generation).
_KEY_MODULES = (
    "solvers/enumeration.py",
    "solvers/conditions.py",
    "solvers/verify.py",
    "solvers/equilibrium.py",
    "models/base.py",
    "sweep/kernel.py",
    "solvers/batch/derive.py",
    "solvers/batch/engine.py",
    "solvers/batch/compiled.py",
    "solvers/batch/_kernel_core.py",
    "cache.py",
)


def enabled(cache: bool | None = None) -> bool:
    """Whether the cache is used: ``cache`` if given, else unless ``MARSHALLIAN_NO_CACHE``
    is set to a non-empty value other than ``0``."""
    if cache is not None:
        return bool(cache)
    return os.environ.get("MARSHALLIAN_NO_CACHE", "") in ("", "0")


def cache_dir() -> Path:
    """The directory holding the cache files (not created here)."""
    env = os.environ.get("MARSHALLIAN_CACHE_DIR")
    if env:
        return Path(env)
    try:
        import platformdirs

        return Path(platformdirs.user_cache_dir("marshallian", appauthor=False))
    except ImportError:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base) / "marshallian"


def _version() -> str:
    from . import __version__

    return str(__version__)


def _source_digest(modules) -> str:
    """Digest of the source text of ``modules`` (paths inside the package)."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for rel in modules:
        p = root / rel
        h.update(rel.encode())
        h.update(p.read_bytes() if p.exists() else b"-")
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    return _source_digest(_KEY_MODULES)


def model_key(model) -> str:
    """Digest of the model's definition, the package version and the derivation code."""
    import sympy as sp

    h = hashlib.sha256()
    parts = [
        f"format={CACHE_FORMAT}",
        f"version={_version()}",
        f"code={_code_digest()}",
        model.name,
        repr(model.sectors),
        repr([(p.name, repr(p.default)) for p in model.parameters]),
        repr([(a.sector, a.technology, a.learns) for a in model.activities]),
        repr([sp.srepr(e) for e in model.structure_expressions()]),
        repr(sorted((k, sp.srepr(v)) for k, v in model.definitions.items())),
        repr([getattr(r, "__qualname__", repr(r)) for r in model.rules]),
    ]
    for p in parts:
        h.update(p.encode())
        h.update(b"\0")
    return h.hexdigest()


def _signing_key(directory: Path) -> bytes:
    return hashlib.sha256(
        f"marshallian-cache|{directory.resolve()}|{_version()}|{CACHE_FORMAT}".encode()
    ).digest()


def _path(kind: str, model) -> Path:
    safe = "".join(c if c.isalnum() else "_" for c in model.name)
    return cache_dir() / f"{kind}-{safe}.json"


def _read(kind: str, model, key: str):
    """The payload stored for (kind, model) under ``key``, or None (missing, corrupt,
    stale or wrongly signed)."""
    path = _path(kind, model)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(doc, dict) or doc.get("key") != key:
        return None
    body, mac = doc.get("payload"), doc.get("mac")
    if not isinstance(body, str) or not isinstance(mac, str):
        return None
    want = hmac.new(_signing_key(path.parent), (key + body).encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(want, mac):
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


def _write(kind: str, model, key: str, payload) -> None:
    from ._files import atomic_write

    path = _path(kind, model)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        body = json.dumps(payload, separators=(",", ":"))
        mac = hmac.new(_signing_key(path.parent), (key + body).encode(), hashlib.sha256).hexdigest()
        atomic_write(path, json.dumps({"key": key, "mac": mac, "payload": body}))
    except (OSError, TypeError, ValueError):
        pass  # a cache that cannot be written is only slower


def cached(kind: str, model, build, encode, decode, cache: bool | None = None):
    """``build()`` through the cache: ``decode(payload)`` when a valid entry exists, else
    build, store ``encode(result)`` (None: not storable) and return the result."""
    if not enabled(cache):
        return build()
    return _through(kind, model, model_key(model), build, encode, decode)


def _through(kind: str, target, key: str, build, encode, decode):
    """:func:`cached` once the key is known: ``target`` names the file (``.name``)."""
    payload = _read(kind, target, key)
    if payload is not None:
        try:
            return decode(payload)
        except Exception:  # noqa: BLE001, S110 - anything malformed: rebuild below
            pass
    result = build()
    try:
        data = encode(result)
    except (TypeError, ValueError):
        data = None
    if data is not None:
        _write(kind, target, key, data)
    return result


def cached_derivation(kind: str, modules: tuple, build, *, cache: bool | None = None):
    """``build()``, a derivation that depends on no model, through the cache.

    Its result is SymPy expressions, numbers and text in tuples, lists and dicts (what
    :func:`encode_value` stores); it is keyed by the package version, SymPy's version and
    the source of ``modules`` (paths inside the package, e.g.
    ``"solvers/dynamics/law.py"``) and of this module: a changed derivation never reads
    an old answer. Read back, it is rebuilt by :func:`decode_value` (no parsing).
    """
    if not enabled(cache):
        return build()
    import sympy

    key = "|".join(
        (
            f"format={CACHE_FORMAT}",
            f"version={_version()}",
            f"sympy={sympy.__version__}",
            _source_digest((*modules, "cache.py")),
        )
    )
    return _through(kind, _Named(kind), key, build, encode_value, decode_value)


@functools.lru_cache(maxsize=1)
def package_digest() -> str:
    """Digest of the package version and every module's source: the key of results that
    depend only on a registered model's name (its definition is code)."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256(f"format={CACHE_FORMAT}|version={_version()}".encode())
    for p in sorted(root.rglob("*.py")):
        h.update(str(p.relative_to(root)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()


class _Named:
    """Stands for a registered model in cache file names (no SymPy needed)."""

    def __init__(self, name):
        self.name = name


def cached_output(kind: str, name: str, variant: str, render, cache: bool | None = None) -> str:
    """Text that a command prints for the registered model ``name``, through the cache
    (keyed by the package's source digest, so any code change renders afresh)."""
    if not enabled(cache):
        return render()
    key = f"{package_digest()}|{name}|{variant}"
    target = _Named(f"{name}-{variant}")
    return _through(f"{kind}-output", target, key, render, lambda s: s, _as_source)


def cached_source(kind: str, digest: str, build, cache: bool | None = None) -> str:
    """Generated source keyed by ``digest`` (of everything it is generated from), the
    package version and the code digest; executed by the caller, hence signed."""
    if not enabled(cache):
        return build()
    key = f"{_code_digest()}|{digest}"
    return _through(kind, _Named(digest[:24]), key, build, lambda s: s, _as_source)


def clear() -> int:
    """Delete every cache file; returns how many were removed."""
    n = 0
    d = cache_dir()
    if d.is_dir():
        for p in [*d.glob("*.json"), *d.glob("kernels/*.py"), *d.glob("kernels/__pycache__/*")]:
            try:
                p.unlink()
                n += 1
            except OSError:
                pass
    return n


# =========================================================================== expressions
def _expr_classes() -> dict:
    import sympy as sp
    from sympy.core import relational as rel

    return {
        c.__name__: c
        for c in (
            sp.Add,
            sp.Mul,
            sp.Pow,
            sp.Min,
            sp.Max,
            sp.Abs,
            rel.StrictLessThan,
            rel.LessThan,
            rel.StrictGreaterThan,
            rel.GreaterThan,
            rel.Equality,
            rel.Unequality,
            sp.And,
            sp.Or,
            sp.Not,
        )
    }


def encode_expr(e):
    """A JSON tree of a SymPy expression: ``["S", name, assumptions]``, ``["I", n]``,
    ``["Q", p, q]``, ``["F", text, precision]``, ``["C", name]`` (constants) or
    ``[class name, args...]`` for the whitelisted operations."""
    import sympy as sp

    if e is None:
        return None
    e = sp.sympify(e)
    if isinstance(e, sp.Symbol):
        # the assumptions as given (SymPy keeps them; else the derived full set, which
        # builds an equal symbol)
        given = getattr(e, "_assumptions_orig", None) or e.assumptions0
        return ["S", e.name, sorted((str(k), bool(v)) for k, v in given.items())]
    if isinstance(e, sp.Integer):
        return ["I", str(int(e))]
    if isinstance(e, sp.Rational):
        return ["Q", str(int(e.p)), str(int(e.q))]
    if isinstance(e, sp.Float):
        return ["F", sp.srepr(e), int(e._prec)]
    for name, const in (
        ("true", sp.true),
        ("false", sp.false),
        ("oo", sp.oo),
        ("-oo", -sp.oo),
        ("nan", sp.nan),
        ("zoo", sp.zoo),
    ):
        if e is const:
            return ["C", name]
    name = type(e).__name__
    if name not in _expr_classes():
        raise ValueError(f"cannot cache {name}")
    return [name] + [encode_expr(a) for a in e.args]


def decode_expr(t):
    """Rebuild :func:`encode_expr`'s tree with constructors chosen here (no parsing)."""
    import sympy as sp
    from mpmath.libmp import from_str

    if t is None:
        return None
    if not isinstance(t, list) or not t or not isinstance(t[0], str):
        raise ValueError("malformed expression")
    tag = t[0]
    if tag == "S":
        assumptions = {str(k): bool(v) for k, v in t[2]}
        return sp.Symbol(str(t[1]), **assumptions)
    if tag == "I":
        return sp.Integer(int(t[1]))
    if tag == "Q":
        return sp.Rational(int(t[1]), int(t[2]))
    if tag == "F":
        # srepr of a Float is Float('digits', precision=p): take the quoted digits only
        text = str(t[1])
        digits = text.split("'")[1]
        prec = int(t[2])
        return sp.Float._new(from_str(digits, prec), prec)
    if tag == "C":
        return {
            "true": sp.true,
            "false": sp.false,
            "oo": sp.oo,
            "-oo": -sp.oo,
            "nan": sp.nan,
            "zoo": sp.zoo,
        }[t[1]]
    cls = _expr_classes().get(tag)
    if cls is None:
        raise ValueError(f"unknown class {tag!r}")
    args = tuple(decode_expr(a) for a in t[1:])
    # the stored arguments are already in canonical order: rebuild each node as it was
    if hasattr(cls, "_from_args"):  # Add, Mul, Min, Max, And, Or
        return cls._from_args(args)
    if issubclass(cls, (sp.core.relational.Relational, sp.Not)):
        return sp.Basic.__new__(cls, *args)
    return cls(*args, evaluate=False)  # Pow, Abs


def encode_value(v):
    """JSON for the fields of a result object: numbers, text, tuples, dicts, SymPy."""
    import sympy as sp

    if v is None or isinstance(v, (bool, str)):
        return ["v", v]
    if isinstance(v, int):
        return ["i", str(v)]
    if isinstance(v, float):
        return ["f", repr(v)]
    if isinstance(v, (sp.Basic, sp.logic.boolalg.BooleanAtom)):
        return ["e", encode_expr(v)]
    if isinstance(v, tuple):
        return ["t", [encode_value(x) for x in v]]
    if isinstance(v, list):
        return ["l", [encode_value(x) for x in v]]
    if isinstance(v, dict):
        return ["d", [[encode_value(k), encode_value(x)] for k, x in v.items()]]
    raise TypeError(f"cannot cache a {type(v).__name__}")


def decode_value(t):
    tag, body = t
    if tag == "v":
        if body is not None and not isinstance(body, (bool, str)):
            raise ValueError("malformed value")
        return body
    if tag == "i":
        return int(body)
    if tag == "f":
        return float(body)
    if tag == "e":
        return decode_expr(body)
    if tag == "t":
        return tuple(decode_value(x) for x in body)
    if tag == "l":
        return [decode_value(x) for x in body]
    if tag == "d":
        return {decode_value(k): decode_value(x) for k, x in body}
    raise ValueError(f"unknown tag {tag!r}")


# =========================================================================== users
def derive_conditions(model, *, cache: bool | None = None) -> tuple:
    """:func:`marshallian.solvers.conditions.derive_conditions` through the cache.

    The derivation itself is untouched: on a miss it is called and its entries stored
    field by field; on a hit the entries are rebuilt (equal to a fresh derivation's, see
    ``tests/test_batch_cache.py``).
    """
    import dataclasses

    from .solvers.conditions import ConditionEntry
    from .solvers.conditions import derive_conditions as derive
    from .solvers.equilibrium import resolve_model

    model = resolve_model(model)
    memo = _MEMO.get(("conditions", model))
    if memo is not None:
        return memo

    def encode(entries):
        return [
            {f.name: encode_value(getattr(e, f.name)) for f in dataclasses.fields(e)}
            for e in entries
        ]

    def decode(payload):
        names = {f.name for f in dataclasses.fields(ConditionEntry)}
        out = []
        for d in payload:
            if set(d) != names:
                raise ValueError("fields changed")
            out.append(ConditionEntry(**{k: decode_value(v) for k, v in d.items()}))
        return tuple(out)

    result = cached("conditions", model, lambda: derive(model), encode, decode, cache)
    _MEMO[("conditions", model)] = result
    return result


_MEMO: dict = {}


def primitive_conditions(model, *, cache: bool | None = None) -> tuple:
    """``(conditions, labels, stable)`` of the model's derived entries, each condition in
    primitive parameters (:meth:`ConditionEntry.primitive_condition`; None where no
    closed form exists), through the cache: what the sweep compiles."""
    from .solvers.equilibrium import resolve_model

    model = resolve_model(model)

    def build():
        entries = derive_conditions(model, cache=cache)
        return (
            [e.primitive_condition() if e.condition is not None else None for e in entries],
            [e.label for e in entries],
            [bool(e.stable) for e in entries],
        )

    def decode(payload):
        conds, labels, stable = decode_value(payload)
        return list(conds), [str(x) for x in labels], [bool(x) for x in stable]

    return cached("primitive", model, build, lambda r: encode_value(tuple(r)), decode, cache)


def batch_source(model, *, cache: bool | None = None) -> str:
    """Generated source of the batch kernels (:mod:`marshallian.solvers.batch.engine`),
    signed on disk."""
    from .solvers.batch.engine import generate_source

    def decode(payload):
        if not isinstance(payload, str):
            raise TypeError("malformed source")
        return payload

    return cached("batch", model, lambda: generate_source(model), lambda s: s, decode, cache)


# =========================================================================== compiled code
class CompiledModule:
    """Generated source imported as a module (see :func:`compiled_module`)."""

    def __init__(self, namespace: dict, seal=None):
        self.namespace = namespace
        self._seal = seal

    def seal(self) -> None:
        """Record (signed) the machine-code files Numba has written for the module, once
        its functions are compiled: only those are let through on the next import."""
        if self._seal is not None:
            self._seal()


def _digest_files(files) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def compiled_module(kind: str, model, build, *, cache: bool | None = None) -> CompiledModule:
    """Generated source (``build()``, through the signed cache) as a module that Numba can
    cache (``njit(cache=True)`` needs a file).

    The source is written as ``kernels/<kind>-<model>-<digest>.py`` in the cache folder
    (rewritten, atomically, when its text is not the expected one); Numba keeps its machine
    code beside it in ``__pycache__``. Those files are pickles, which Numba loads on
    import: they are accepted only when their SHA-256 digests are in a manifest signed as
    every other entry (written by :meth:`CompiledModule.seal` after a compile); any other
    file of the module is deleted first, so that Numba compiles afresh. Writing a new entry
    removes the same kind and model's entries unused for a day (:func:`prune`). With the
    cache bypassed (``--no-cache``), the source is run in memory and compiled without
    caching.
    """
    source = cached(kind, model, build, lambda s: s, _as_source, cache)
    return source_module(kind, model.name, source, cache=cache)


def source_module(kind: str, name: str, source: str, *, cache: bool | None = None):
    """Python ``source`` (generated, or read from the package) as a module that Numba can
    cache, as :func:`compiled_module` describes: the file ``kernels/<kind>-<name>-<digest>.py``
    in the cache folder, Numba's machine code beside it let through only with a signed
    manifest; run in memory when the cache is bypassed."""
    import importlib.util
    import sys

    if not enabled(cache):
        glb: dict = {"__name__": f"marshallian_{kind}_nocache", "_MARSHALLIAN_CACHE": False}
        exec(compile(source, f"<marshallian {kind}>", "exec"), glb)  # noqa: S102 - generated
        return CompiledModule(glb)
    digest = hashlib.sha256(source.encode()).hexdigest()[:24]
    safe = "".join(c if c.isalnum() else "_" for c in f"{kind}_{name}")
    stem = f"{safe}_{digest}"
    folder = cache_dir() / "kernels"
    path = folder / f"{stem}.py"
    try:
        new = not path.is_file()
        if new or path.read_text(encoding="utf-8") != source:
            from ._files import atomic_write

            atomic_write(path, source)
    except OSError:
        return source_module(kind, name, source, cache=False)
    if new:
        prune(safe, keep=digest)
    pycache = folder / "__pycache__"
    # the stem names the exact source (the kernel core included): a change elsewhere in
    # the package keeps Numba's machine code for an unchanged kernel
    manifest_key = f"{stem}|{_numba_version()}"
    target = _Named(stem)
    signed = _read("numba-manifest", target, manifest_key)
    allowed = signed if isinstance(signed, dict) else {}
    if signed is not None:
        with contextlib.suppress(OSError):  # its time is the entry's last use (see prune)
            os.utime(_path("numba-manifest", target))
    files = sorted(pycache.glob(f"{stem}.*")) if pycache.is_dir() else []
    for p in files:
        try:
            ok = allowed.get(p.name) == hashlib.sha256(p.read_bytes()).hexdigest()
            if not ok:
                p.unlink()
        except OSError:
            pass
    module_name = f"_marshallian_kernels_{stem}"
    module = sys.modules.get(module_name)
    if module is None:
        spec = importlib.util.spec_from_file_location(module_name, path)
        if spec is None or spec.loader is None:  # pragma: no cover - a .py path always has one
            return source_module(kind, name, source, cache=False)
        module = importlib.util.module_from_spec(spec)
        try:
            changed = path.read_text(encoding="utf-8") != source
        except OSError:  # removed since written (another process pruned it)
            changed = True
        if changed:  # changed since written: do not run
            return source_module(kind, name, source, cache=False)
        sys.modules[module_name] = module  # Numba's cached code finds its globals by this name
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[module_name]
            raise

    def seal():
        written = sorted(pycache.glob(f"{stem}.*")) if pycache.is_dir() else []
        digests = _digest_files(written)
        if digests != allowed:
            _write("numba-manifest", target, manifest_key, digests)

    return CompiledModule(vars(module), seal)


#: An older entry of a compiled module (same kind and model, another source digest) is
#: removed when a new one is written only if unused for this long (seconds): two
#: installations of different versions sharing the cache folder each keep their machine
#: code (recompiling takes up to a minute) instead of deleting each other's.
PRUNE_UNUSED_SECONDS = 24 * 3600


def _regular_files(folder: Path):
    """The regular files directly in ``folder`` (links neither followed nor listed; none
    if ``folder`` is itself a link or missing)."""
    try:
        if folder.is_symlink():
            return []
        with os.scandir(folder) as it:
            return [e for e in it if e.is_file(follow_symlinks=False)]
    except OSError:
        return []


def prune(safe: str, keep: str, *, unused_seconds: float | None = None) -> int:
    """Remove the files of compiled module ``<safe>_<digest>`` entries (see
    :func:`source_module`; ``safe`` names the kind and model) other than ``keep``'s
    that have not been used for ``unused_seconds`` (default
    :data:`PRUNE_UNUSED_SECONDS`); returns how many files were removed.

    Only files this cache writes are touched, recognized by their names: the source
    ``kernels/<safe>_<digest>.py``, Numba's index and machine code and Python's bytecode
    ``kernels/__pycache__/<safe>_<digest>.*``, and the signed manifest
    ``numba-manifest-<safe>_<digest>.json`` (``digest``: 24 hex digits, so another
    model's name that begins with this one's never matches). Links are neither followed
    nor removed. An entry's last use is the latest modification time of its files (a
    load touches its manifest). Removing is safe while another process uses the entry: a
    module already loaded keeps running (on POSIX an open file outlives its name), Numba
    treats a missing index or machine-code file as not cached and compiles afresh, and a
    source file gone before it is run is compiled in memory instead."""
    import re
    import time

    limit = PRUNE_UNUSED_SECONDS if unused_seconds is None else unused_seconds
    d = cache_dir()
    kernels = d / "kernels"
    name = re.escape(safe) + r"_([0-9a-f]{24})"
    patterns = (
        (kernels / "__pycache__", re.compile(name + r"\..+")),
        (d, re.compile("numba-manifest-" + name + r"\.json")),
        (kernels, re.compile(name + r"\.py")),  # the source last
    )
    entries: dict = {}  # digest -> [(path, mtime)] in the order of removal
    for folder, pattern in patterns:
        for e in _regular_files(folder):
            m = pattern.fullmatch(e.name)
            if m is None or m.group(1) == keep:
                continue
            try:
                mtime = e.stat(follow_symlinks=False).st_mtime
            except OSError:
                continue
            entries.setdefault(m.group(1), []).append((Path(e.path), mtime))
    now = time.time()
    removed = 0
    for files in entries.values():
        if max(t for _p, t in files) > now - limit:
            continue  # used lately (another installation's, perhaps)
        for p, _t in files:
            try:
                p.unlink()
                removed += 1
            except OSError:  # gone already (another process pruned it) or not ours
                pass
    return removed


def _numba_version() -> str:
    try:
        import numba

        return str(numba.__version__)
    except ImportError:  # pragma: no cover - only reached with Numba
        return "-"


def _as_source(payload) -> str:
    if not isinstance(payload, str):
        raise TypeError("malformed source")
    return payload
