"""The report: the whole paper at one calibration (the defaults or the user's), in one folder.

The report is made in two steps:

1. :func:`collect_report` computes everything into a typed :class:`ReportData`: the
   calibration, every equilibrium of the §2, §3 and §4 models, North's equilibria
   (footnote 13), the derived existence conditions evaluated at the calibration, the
   policy comparison (:func:`marshallian.policy.comparison.compare_instruments`), the
   paper's claims checked on random draws, and the figures (written to ``figures/``);
2. :func:`render_markdown` and :func:`render_json` turn it into ``report.md`` and
   ``results.json``; :func:`write_report` writes both atomically, ``report.md`` last, so an
   interrupted run never leaves a half-written file and a second run overwrites cleanly.

:func:`build_report` does both. The report's sections are the list :data:`SECTIONS`, in
order; a part of the package adds its own with :func:`add_section` (a title, a function
rendering Markdown lines from the :class:`ReportData`, optionally a collector whose result
is stored in ``ReportData.extra[key]`` and in ``results.json``).

The claims, the symbolic conditions, the policy comparison and the figures are jobs for
:data:`REPORT_WORKERS` worker processes; the main process solves the models, then draws
the figures no worker has started. What does not depend on the calibration (the
conditions as printed, the code evaluating them, the claims' seeded checks) is kept in
the on-disk cache of :mod:`marshallian.cache`.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import inspect
import json
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from ._files import atomic_write
from .figures._labels import MODEL_TITLES

#: Models of the report, in the paper's order, with their section titles (the figures'
#: titles: one dict).
MODELS = MODEL_TITLES
#: Models of the policy section (the §4 steady states have no policy experiment).
POLICY_MODELS = ("standard", "alternative")
#: Random parameter draws per claim in the report (the ``claims`` command uses more).
REPORT_DRAWS = 20
#: Worker processes of the report, besides the main one, which takes its share of the
#: jobs: one, so two processes for the two cores the report is meant for (a second worker
#: costs more, in imports and caches of its own, than it saves).
REPORT_WORKERS = 1
#: Figure formats written by the report (PNG is linked from the Markdown).
REPORT_FORMATS = ("png", "pdf")


@dataclass
class Section:
    """How one part of the report was computed: available, or failed and why."""

    name: str
    available: bool
    reason: str = ""
    error: bool = False  # True when it failed unexpectedly (the CLI then exits 1)
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {
            "available": self.available,
            "reason": self.reason,
            "error": self.error,
            "seconds": round(self.seconds, 3),
        }


@dataclass
class ReportData:
    """Everything the report shows, computed by :func:`collect_report`.

    Attributes
    ----------
    calibration : Calibration
        The parameters used (:func:`marshallian.calibration.calibrate`).
    solutions : dict
        Model name -> :class:`~marshallian.results.Solution` at the calibration.
    north : tuple
        North's closed-economy equilibria of the §3 model (footnote 13).
    conditions : dict or None
        Model name -> derived conditions as data (:func:`conditions_payload`).
    policy : dict or None
        Model name -> :class:`~marshallian.policy.comparison.InstrumentComparison`.
    claims : list of dict
        :meth:`ClaimResult.to_dict` of every claim, with its ``section``.
    draws, seed : int
        Draws per claim and their seed.
    figures : list of FigureRecord
    fig_dir : Path
    sections : dict
        Name -> :class:`Section`.
    errors : list of str
        Unexpected failures (the command then exits 1).
    extra : dict
        Key -> what an added section's collector returned (:func:`add_section`).
    seconds : float
    generated, version : str
    included : tuple of str, optional
        Keys of the sections computed (``collect_report(sections=...)``); None: all.
    """

    calibration: Any
    solutions: dict
    north: tuple = ()
    conditions: dict | None = None
    policy: dict | None = None
    claims: list = field(default_factory=list)
    draws: int = REPORT_DRAWS
    seed: int = 0
    figures: list = field(default_factory=list)
    fig_dir: Path = Path("figures")
    sections: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    seconds: float = 0.0
    generated: str = ""
    version: str = ""
    included: tuple | None = None

    def shown(self) -> list:
        """The :data:`SECTIONS` this report holds, in order (``included``: their keys;
        None: all)."""
        return [s for s in SECTIONS if self.included is None or s.key in self.included]


@dataclass
class ReportResult:
    """What :func:`build_report` wrote.

    Attributes
    ----------
    report, results : Path
        ``report.md`` and ``results.json``.
    sections : dict
        Name -> :class:`Section`.
    figures : list of FigureRecord
    claims : list of dict
    equilibria : dict
        Model name -> (number of equilibria, number of stable ones).
    seconds : float
    errors : list of str
    data : ReportData, optional
        The collected results.
    """

    report: Path
    results: Path
    sections: dict
    figures: list
    claims: list
    equilibria: dict
    seconds: float
    errors: list = field(default_factory=list)
    data: ReportData | None = None

    @property
    def ok(self) -> bool:
        """No section failed unexpectedly."""
        return not self.errors

    def summary(self) -> str:
        """A few lines for the terminal."""
        lines = []
        if self.data is not None:
            lines.append(f"  {self.data.calibration.describe()}")
        for m, (n, s) in self.equilibria.items():
            lines.append(f"  {MODELS.get(m, m)}: {n} equilibria ({s} stable)")
        if self.claims:
            held = sum(1 for c in self.claims if c["holds"])
            lines.append(f"  claims: {held}/{len(self.claims)} hold")
        ok = [f for f in self.figures if f.status == "ok"]
        lines.append(f"  figures: {len(ok)}/{len(self.figures)} written")
        for name, s in self.sections.items():
            if not s.available:
                lines.append(f"  {name}: section not available: {s.reason}")
        for f in self.figures:
            if f.status != "ok":
                lines.append(f"  figure {f.name}: not available: {f.reason}")
        lines.append(f"Report: {self.report}  ({self.seconds:.1f} s)")
        return "\n".join(lines)


# =========================================================================== collecting
def conditions_payload(model_name: str, params=None) -> dict:
    """Derived conditions of one model as plain data, evaluated at ``params``.

    Returns ``{"entries": [...], "premise": str, "definitions": {latex: latex}}``; each
    entry is :meth:`ConditionEntry.to_dict` plus ``label``, ``wage_latex`` and
    ``holds`` (the condition evaluated at ``params``, the defaults if None; None when
    the type has no closed-form condition); ``joint`` lists conditions on several types
    at once (§2's condition (P)).

    Everything but ``holds`` depends on the model alone, and ``holds`` is evaluated by
    the code ``lambdify`` generates for each condition: both are kept in the on-disk
    cache (:mod:`marshallian.cache`, keyed by the package's source), because printing the
    §4 conditions takes seconds.

    Examples
    --------
    >>> from marshallian.report import conditions_payload
    >>> doc = conditions_payload("alternative", {"beta": 0.4})
    >>> star = next(e for e in doc["entries"] if e["label"] == "2:modern")
    >>> star["condition"], star["holds"]
    ('(L_S >= Lbar_2) & (x <= theta_1)', True)
    """
    from .cache import cached_output
    from .models import get_model

    model = get_model(model_name)
    doc = json.loads(
        cached_output(
            "report-conditions", model.name, "payload", lambda: json.dumps(_conditions_doc(model))
        )
    )
    holds = _conditions_hold(model, model.params(params))
    for entry, h in zip(doc["entries"], holds, strict=True):
        entry["holds"] = h
    return doc


def _conditions_doc(model) -> dict:
    """:func:`conditions_payload` without ``holds``: what depends on the model alone."""
    from .cache import derive_conditions
    from .solvers.conditions import condition_P, to_latex

    entries = derive_conditions(model)
    out, defs = [], {}
    for e in entries:
        d = e.to_dict()
        d["label"] = e.label
        d["wage_latex"] = None if e.wage is None else to_latex(e.wage)
        out.append(d)
        defs.update({to_latex(k): to_latex(v) for k, v in e.definitions.items()})
    joint = condition_P(model)
    if joint is not None:
        defs.update({to_latex(k): to_latex(v) for k, v in joint.definitions.items()})
    return {
        "entries": out,
        "premise": entries[0].premise if entries else "",
        "definitions": defs,
        "joint": [] if joint is None else [joint.to_dict()],
    }


def _conditions_hold(model, at) -> list:
    """Each derived condition evaluated at the parameters ``at`` (None: no closed form).

    The same as :func:`~marshallian.solvers.conditions.condition_holds` entry by entry:
    the same ``lambdify`` code of the condition in primitive parameters
    (:func:`marshallian.cache.primitive_conditions`), generated once and kept, signed, in
    the on-disk cache (:func:`marshallian.cache.cached_source`).
    """
    import sympy as sp

    from .cache import cached_source, model_key

    def generate() -> str:
        import inspect

        from .cache import derive_conditions, primitive_conditions

        entries = derive_conditions(model)
        conditions, _, _ = primitive_conditions(model)
        parts = [f"ENTRIES = {len(entries)}"]
        for i, (e, cond) in enumerate(zip(entries, conditions, strict=True)):
            if e.condition is not None:
                code = inspect.getsource(sp.lambdify([e.symbols], cond, modules="math"))
                parts.append(code.replace("def _lambdifygenerated(", f"def holds_{i}(", 1))
        return "\n".join(parts)

    # the names lambdify's "math" code calls (math's functions and its translations)
    namespace = dict(sp.lambdify([], 0, modules="math").__globals__)
    exec(cached_source("report-holds", model_key(model), generate), namespace)  # noqa: S102
    values = at.as_tuple()
    return [
        bool(namespace[f"holds_{i}"](values)) if f"holds_{i}" in namespace else None
        for i in range(namespace["ENTRIES"])
    ]


#: Garbage-collector thresholds while the report is computed (generation 0, 1, 2; each
#: at least the interpreter's own): the report allocates millions of short-lived objects
#: next to the long-lived ones of SymPy and matplotlib, and with the default thresholds
#: the collector traverses those long-lived ones again and again (about 10 % of the
#: report's CPU time). Garbage in reference cycles (figures) waits a little longer: for
#: the next full collection, at the latest once the thresholds are back.
REPORT_GC_THRESHOLDS = (5000, 20, 100)


@contextlib.contextmanager
def _fewer_collections():
    """Collect garbage less often inside the block (:data:`REPORT_GC_THRESHOLDS`); the
    interpreter's thresholds are put back afterwards."""
    import gc

    before = gc.get_threshold()
    gc.set_threshold(*(max(a, b) for a, b in zip(REPORT_GC_THRESHOLDS, before, strict=False)))
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _run_job(fn, *args, **kwargs):
    """A job of the report, in whichever process, with :func:`_fewer_collections`."""
    with _fewer_collections():
        return fn(*args, **kwargs)


def _timed(key, fn, *args) -> dict:
    """``{key: fn(*args), "seconds": ...}``, or ``{"error": ...}`` if it raised."""
    t0 = time.perf_counter()
    try:
        return {key: fn(*args), "seconds": time.perf_counter() - t0}
    except Exception as exc:  # noqa: BLE001 - a failed part is reported, never hidden
        return {"error": f"{type(exc).__name__}: {exc}"}


def _conditions_job(models, overrides) -> dict:
    from .calibration import calibrate

    cal = calibrate(overrides)
    return {m: conditions_payload(m, cal.applies[m]) for m in models}


def _regions_job(model: str, cal, grid):
    """The region grid of one model's map at the calibration ``cal``."""
    from .figures.regions import GRID, compute_regions

    return compute_regions(model, cal.params_for(model), grid=tuple(grid or GRID))


def _figure_job(name: str, fig_dir, overrides, formats, grid, solutions=None) -> dict:
    """Draw and write one figure: ``{"figure": FigureRecord}``, and for a region map the
    timed computation of its grid under ``"regions"`` (as :func:`_timed`)."""
    from .calibration import calibrate
    from .figures import write_figures

    cal = calibrate(overrides)
    ctx: dict = {"calibration": cal}
    if solutions is not None:
        ctx["solutions"] = solutions
    if grid is not None:
        ctx["grid"] = tuple(grid)
    out: dict = {}
    if name.startswith("regions_"):
        model = name[len("regions_") :]
        out["regions"] = _timed("regions", _regions_job, model, cal, grid)
        if "error" not in out["regions"]:
            ctx["regions"] = {model: out["regions"].pop("regions")}
    [out["figure"]] = write_figures(fig_dir, [name], formats=formats, context=ctx)
    return out


def _policy_job(models, overrides) -> dict:
    from .calibration import calibrate
    from .policy.comparison import compare_instruments

    cal = calibrate(overrides)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {m: compare_instruments(m, cal.params_for(m)) for m in models}


def _claims_job(draws: int, seed: int) -> list:
    """Every claim checked on ``draws`` seeded draws, through the on-disk cache.

    The check is deterministic (seeded draws that do not depend on the calibration), so
    its outcome is kept keyed by the package's source, ``draws`` and ``seed``
    (:func:`marshallian.cache.cached_output`; any change to the code checks afresh,
    ``--no-cache`` too). An outcome whose JSON form would print differently is not kept.
    """
    from .cache import cached_output

    fresh: list = []

    def check() -> str:
        fresh.append(_check_claims(draws, seed))
        try:
            text = json.dumps(fresh[0], allow_nan=False)
        except (TypeError, ValueError):
            return ""
        return text if repr(json.loads(text)) == repr(fresh[0]) else ""

    text = cached_output("report-claims", "all", f"draws={draws},seed={seed}", check)
    if fresh:
        return fresh[0]
    return json.loads(text) if text else _check_claims(draws, seed)


def _check_claims(draws: int, seed: int) -> list:
    from .claims import load, run_claims

    reg = load()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = run_claims(draws=draws, seed=seed)
    return [dict(r.to_dict(), section=reg[r.id].section) for r in results]


def _validate_options(draws, formats, figures, sections=None) -> tuple:
    """Checked ``(formats with png first, figure names, section keys)``; bad input raises
    before any work."""
    from .errors import InvalidParameterError, Violation
    from .figures import FIGURES, FORMATS

    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 1:
        raise InvalidParameterError(Violation("draws", draws, "must be an integer >= 1"))
    formats = tuple(dict.fromkeys(("png",) + tuple(formats)))
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise InvalidParameterError(
            Violation("formats", bad[0], f"must be among {', '.join(FORMATS)}")
        )
    wanted = list(FIGURES) if figures is None else list(figures)
    unknown = [n for n in wanted if n not in FIGURES]
    if unknown:
        raise InvalidParameterError(
            Violation("figures", unknown[0], f"must be one of {', '.join(FIGURES)}")
        )
    keys = [sec.key for sec in SECTIONS]
    chosen = keys if sections is None else [sections] if isinstance(sections, str) else sections
    unknown = [k for k in chosen if k not in keys]
    if unknown:
        raise InvalidParameterError(
            Violation("sections", unknown[0], f"must be among {', '.join(keys)}")
        )
    return formats, wanted, tuple(k for k in keys if k in chosen)


def _report_jobs(keys, wanted, overrides, *, fig_dir, draws, seed, formats, grid) -> dict:
    """The report's parts besides the equilibria, in the order the workers take them: the
    long ones first (claims, conditions, region maps), then the other figures; the main
    process takes over from the end of the queue: first the policy comparison (its
    integrators are imported there anyway, for the catch-up paths and the world figure),
    then the figures."""
    jobs: dict[str, tuple[Callable, tuple]] = {}
    if "claims" in keys:
        jobs["claims"] = (_timed, ("claims", _claims_job, draws, seed))
    if "conditions" in keys:
        jobs["conditions"] = (_timed, ("conditions", _conditions_job, tuple(MODELS), overrides))
    if "figures" in keys:
        names = [n for n in wanted if n.startswith("regions_")]
        names += [n for n in _FIGURE_ORDER if n in wanted and n not in names]
        names += [n for n in wanted if n not in names]
        for n in names:
            jobs[f"figure {n}"] = (_figure_job, (n, fig_dir, overrides, formats, grid))
    if "policy" in keys:
        jobs["policy"] = (_timed, ("policy", _policy_job, POLICY_MODELS, overrides))
    return jobs


class _JobQueue:
    """The report's jobs, shared by the worker processes and this one.

    A worker is handed the next job from the front of the queue as soon as its previous
    one is done, never more than one ahead (a job handed over cannot be taken back: with
    jobs queued in advance, this process would sit idle at the end while the worker still
    has two to do); this process takes jobs from the back (all of them, in order, without
    a pool). ``futures`` maps each job handed over to its future.
    """

    def __init__(self, jobs: dict, pool=None):
        import threading
        from collections import deque

        self._jobs = jobs
        self._left = deque(jobs)
        self._lock = threading.Lock()
        self._pool = pool
        self.futures: dict = {}
        if pool is not None:
            for _ in range(REPORT_WORKERS):
                self._hand_over()

    def _hand_over(self, _done=None) -> None:
        """Give the next job to the pool (called again when that job is done)."""
        from concurrent.futures import Future

        with self._lock:
            if not self._left or self._pool is None:
                return
            job = self._left.popleft()
            fn, args = self._jobs[job]
            try:
                future = self._pool.submit(_run_job, fn, *args)
            except Exception as exc:  # noqa: BLE001 - a broken pool: the job says so
                future = Future()
                future.set_exception(exc)
            self.futures[job] = future
        future.add_done_callback(self._hand_over)

    def take(self) -> str | None:
        """The next job for this process (None: none left)."""
        with self._lock:
            if not self._left:
                return None
            return self._left.pop() if self._pool is not None else self._left.popleft()

    def stop(self) -> None:
        """Hand nothing more to the pool."""
        with self._lock:
            self._pool = None


#: Figures other than the region maps, the cheapest first: the worker takes them from the
#: front after the region maps, the main process the costliest from the end, so that the
#: two processes meet on short jobs and finish together (``income_gaps`` after
#: ``fig1_ppf``: drawn here, it reuses this process's solutions, a worker solves again).
_FIGURE_ORDER = ("fig1_ppf", "income_gaps", "welfare_tariff", "catchup_paths", "world_limit")


def collect_report(
    calibration=None,
    *,
    fig_dir,
    draws: int = REPORT_DRAWS,
    seed: int = 0,
    formats=REPORT_FORMATS,
    grid=None,
    workers: bool = True,
    figures=None,
    sections=None,
    progress=None,
) -> ReportData:
    """Compute everything the report shows, at one calibration.

    Parameters
    ----------
    calibration : Calibration or mapping, optional
        The parameters (:func:`marshallian.calibration.calibrate`); default calibration
        when None. A mapping is validated for every model it applies to.
    fig_dir : path
        Folder the figures are written to.
    draws, seed : int
        Random parameter draws per claim and their seed.
    formats : iterable of str
        Figure formats (PNG is always written: the Markdown links it).
    grid : (int, int), optional
        Region-map grid (default :data:`marshallian.figures.regions.GRID`).
    workers : bool
        Compute the claims, the symbolic conditions, the policy comparison and the
        figures in :data:`REPORT_WORKERS` worker processes while this one solves the
        models and then draws the figures no worker has started (workers are started
        with ``spawn``: a script calling this must guard its top level with
        ``if __name__ == "__main__":``); False computes everything here.
    figures : iterable of str, optional
        Figures to draw (default: all of :data:`marshallian.figures.FIGURES`).
    sections : iterable of str, optional
        Keys of the :data:`SECTIONS` to compute (default: all); the equilibria are always
        solved. What a section left out would hold stays empty (None, or no figures).
    progress : callable, optional
        Called with a short string as each part finishes.

    Returns
    -------
    ReportData
    """
    from .calibration import Calibration, calibrate
    from .errors import DegenerateEquilibriumWarning
    from .figures import FIGURES, FigureRecord
    from .solvers import north_equilibria, solve

    cal = calibration if isinstance(calibration, Calibration) else calibrate(calibration)
    formats, wanted, keys = _validate_options(draws, formats, figures, sections)
    t_start = time.perf_counter()
    say = progress or (lambda s: None)
    fig_dir = Path(fig_dir)
    overrides = dict(cal.overrides)
    jobs = _report_jobs(
        keys, wanted, overrides, fig_dir=fig_dir, draws=draws, seed=seed, formats=formats, grid=grid
    )
    pool = None
    if workers and jobs:
        from ._processes import worker_pool

        pool = worker_pool(REPORT_WORKERS)  # the workers die with this process
    queue = _JobQueue(jobs, pool)

    data = ReportData(
        calibration=cal,
        solutions={},
        draws=draws,
        seed=seed,
        fig_dir=fig_dir,
        version=__version__,
        included=keys,
    )

    def run_here(job):
        fn, args = jobs[job]
        try:
            if job.startswith("figure "):  # the figure reuses this process's solutions
                return _run_job(fn, *args, solutions=data.solutions)
            return _run_job(fn, *args)
        except Exception as exc:  # noqa: BLE001 - a failed part is reported, never hidden
            return {"error": f"{type(exc).__name__}: {exc}"}

    def result_of(job):
        try:
            return queue.futures[job].result()
        except Exception as exc:  # noqa: BLE001 - a crashed worker: its sections say so
            return {"error": f"{type(exc).__name__}: {exc}"}

    def section(name, res):
        """Record a part's outcome as a Section; return its payload or None."""
        if "error" in res:
            data.sections[name] = Section(name, False, "error: " + res["error"], True)
            data.errors.append(f"{name}: {res['error']}")
            return None
        data.sections[name] = Section(name, True, seconds=res.get("seconds", 0.0))
        return res[name]

    results: dict = {}

    def finish(job, res) -> None:
        """Keep a job's outcome; a figure's is its FigureRecord, also when the job failed."""
        if job.startswith("figure "):
            if "figure" not in res:  # the job itself failed (a crashed worker)
                spec = FIGURES[job[len("figure ") :]]
                res["figure"] = FigureRecord(
                    spec.name, spec.title, spec.caption, "error", reason=res["error"]
                )
            rec = res["figure"]
            say(f"figure {rec.name}: {rec.status} ({rec.seconds:.1f} s)")
        results[job] = res

    def part(name, done: str):
        """A worker's part as its Section (:func:`section`), said when it is known."""
        value = section(name, results[name])
        say(f"{name}: " + (done if value is not None else data.sections[name].reason))
        return value

    try:
        # 1. every equilibrium of the three models, North's (footnote 13)
        t0 = time.perf_counter()
        with warnings.catch_warnings(), _fewer_collections():
            warnings.simplefilter("ignore", DegenerateEquilibriumWarning)
            data.solutions = {m: solve(m, cal.params_for(m)) for m in MODELS}
            data.north = tuple(north_equilibria("alternative", cal.params_for("alternative")))
        data.sections["equilibria"] = Section("equilibria", True, seconds=time.perf_counter() - t0)
        say(f"equilibria solved ({time.perf_counter() - t0:.1f} s)")

        # 2. the other parts: here, those not handed to the worker (from the end of the
        # queue: the figures), then the worker's
        t0 = time.perf_counter()
        while (job := queue.take()) is not None:
            finish(job, run_here(job))
        for job in jobs:
            if job not in results:
                finish(job, result_of(job))

        if "conditions" in jobs:
            data.conditions = part("conditions", "derived")
        if "figures" in keys:
            grids = [results[j]["regions"] for j in jobs if "regions" in results[j]]
            failed = [g for g in grids if "error" in g]
            section(
                "regions",
                failed[0]
                if failed
                else {"regions": None, "seconds": sum(g["seconds"] for g in grids)},
            )
            records = [results[j]["figure"] for j in jobs if j.startswith("figure ")]
            records.sort(key=lambda r: list(FIGURES).index(r.name))
            data.figures = records
            data.sections["figures"] = Section("figures", True, seconds=time.perf_counter() - t0)
            data.errors += [f"figure {r.name}: {r.reason}" for r in records if r.status == "error"]
        if "policy" in jobs:
            data.policy = part("policy", "compared")
        if "claims" in jobs:
            data.claims = part("claims", "checked") or []
        for s in SECTIONS:
            if s.collect is not None and s.key in keys:
                data.extra[s.key] = section(s.key, _run_job(_timed, s.key, s.collect, data))
    except BaseException:
        queue.stop()
        if pool is not None:  # interrupted: stop the worker now
            from ._processes import terminate

            terminate(pool)
            pool = None
        raise
    finally:
        queue.stop()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    data.seconds = time.perf_counter() - t_start
    data.generated = _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()
    return data


# =========================================================================== rendering
def _md_escape(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _fmt(v, digits=6) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "pass" if v else "fail"
    try:
        return f"{float(v):.{digits}g}"
    except (TypeError, ValueError):
        return str(v)


def _unavailable_md(data: ReportData, key: str) -> list:
    return [f"> section not available: {_md_escape(data.sections[key].reason)}", ""]


def _calibration_md(data: ReportData) -> list:
    cal = data.calibration
    if cal.is_default:
        lines = [
            "The default calibration of each model (`marshallian report --set NAME=VALUE` "
            "or `--params FILE` reports at another).",
            "",
        ]
    else:
        given = ", ".join(f"`{k}` = {_fmt(v)}" for k, v in cal.overrides.items())
        lines = [
            f"The user's calibration: {given}; every other parameter at its default. "
            "Each model takes the values that are its parameters (marked **bold**).",
            "",
        ]
    names: list = []
    for p in cal.params.values():
        names += [n for n in p.as_dict() if n not in names]
    lines += [
        "| parameter | " + " | ".join(MODELS.get(m, m) for m in cal.params) + " |",
        "|---|" + "---:|" * len(cal.params),
    ]
    for n in names:
        cells = []
        for m, p in cal.params.items():
            values = p.as_dict()
            cell = _fmt(values[n]) if n in values else "—"
            cells.append(f"**{cell}**" if n in cal.applies.get(m, {}) else cell)
        lines.append(f"| `{n}` | " + " | ".join(cells) + " |")
    return lines + [""]


def _agreement(data_m, sol) -> str:
    """Do the derived conditions pick out exactly the equilibria ``solve`` found?

    Types without a closed form (``holds`` None) are decided by ``solve``.
    """
    undecided = {e["label"] for e in data_m["entries"] if e["holds"] is None}
    derived = {e["label"] for e in data_m["entries"] if e["holds"]}
    found = {e.label for e in sol.equilibria if not e.degenerate}
    extra = ""
    if undecided:
        extra = (
            f" {len(undecided)} type(s) have no closed-form condition and are decided by "
            f"`solve` alone: {', '.join(sorted(undecided))}"
            f" ({'found' if undecided & found else 'not found'} at this calibration)."
        )
    if derived == found - undecided:
        return (
            "At this calibration the derived conditions hold for exactly the equilibria "
            f"found by `solve` (next section).{extra}"
        )
    return (
        "**Mismatch at this calibration** between the derived conditions and "
        f"`solve`: only derived {sorted(derived - found)}, only solved "
        f"{sorted(found - derived - undecided)}.{extra}"
    )


def _conditions_md(data: ReportData) -> list:
    from .figures._labels import type_label
    from .models import get_model

    lines = [
        "Derived by SymPy from the model's primitives with the same regime solver as the "
        "numerical enumeration (`marshallian conditions MODEL`); nothing is typed in from "
        "the paper. Each type of equilibrium exists exactly where its condition holds "
        "(↑ marks an activity on the rising part of its externality: a critical mass).",
        "",
    ]
    for m, cm in (data.conditions or {}).items():
        lines += [f"### {MODELS.get(m, m)}", ""]
        if m in data.solutions:
            lines += [_agreement(cm, data.solutions[m]), ""]
        if cm["premise"]:
            lines.append(f"World prices: {_md_escape(cm['premise'])}.")
        if cm["definitions"]:
            lines.append(
                "Definitions: "
                + ", ".join(f"${k} = {v}$" for k, v in cm["definitions"].items())
                + "."
            )
        lines.append("")
        model = get_model(m)
        for i, e in enumerate(cm["entries"], 1):
            label = " + ".join(
                f"{j}:{t}" + ("↑" if s == "rising" else "")
                for (j, t), s in zip(e["activities"], e["states"])
            )
            holds = {True: "holds", False: "fails", None: "undecided"}[e["holds"]]
            wage = f"; wage $w = {e['wage_latex']}$" if e.get("wage_latex") else ""
            lines.append(
                f"{i}. **{type_label(e['label'], model)}** (`{label}`, "
                f"{'stable' if e['stable'] else 'unstable'}){wage}; "
                f"at this calibration the condition {holds}:"
            )
            lines += ["", "   $$", "   " + e["latex"], "   $$", ""]
            if e.get("note"):
                lines += [f"   _{_md_escape(e['note'])}_", ""]
        for c in cm.get("joint", []):
            lines += [
                f"Condition {c['label']}: {_md_escape(c['statement'])}, with $p = p_2^*/p_1^*$:",
                "",
                "$$",
                c["latex"],
                "$$",
                "",
            ]
    return lines


def _solution_md(model_name, sol) -> list:
    from .figures._labels import equilibrium_label

    prices = ", ".join(f"$p_{k}^* = {_fmt(v)}$" for k, v in sol.prices.items())
    lines = [f"### {MODELS.get(model_name, model_name)}", ""]
    if sol.north is not None:
        conf = ", ".join(f"good {j}: {c}" for j, c in sol.north.configuration.items())
        lines.append(f"World prices {prices} (North's equilibrium: {conf}).")
    else:
        lines.append(f"World prices {prices}.")
    lines += [
        "",
        f"{len(sol.equilibria)} equilibria, {len(sol.stable)} stable, "
        f"{len(sol.neutral)} neutral "
        "(sorted by income gap; ↑ = on the rising part of its externality).",
        "",
        "| # | equilibrium | activities (labor) | wage $w$ | income gap $1/w$ | stability "
        "| note | certificate (max residual) |",
        "|---:|---|---|---:|---:|---|---|---|",
    ]
    for i, e in enumerate(sol.equilibria, 1):
        acts = e.describe_activities(rising_mark="↑", sep=" = ")
        note = [f for f in e.flags() if f != "NOT VERIFIED"]  # the certificate has a column
        if e.sector_factor:
            note.append(
                "A_S/A_N: " + ", ".join(f"{j}: {_fmt(v, 4)}" for j, v in e.sector_factor.items())
            )
        c = e.certificate
        resid = max(abs(c.max_pay_residual), c.labor_residual)
        cert = ("verified" if c.verified else "**NOT verified**") + f" ({resid:.1e})"
        lines.append(
            f"| {i} | {_md_escape(equilibrium_label(e))} | {_md_escape(acts)} | "
            f"{_fmt(e.wage)} | {_fmt(e.income_gap)} | {e.stability.value} | "
            f"{_md_escape('; '.join(note))} | {cert} |"
        )
    return lines


def _north_md(rows) -> list:
    if not rows:
        return []
    lines = [
        "",
        f"North's closed-economy equilibria (footnote 13): {len(rows)}, "
        f"{sum(1 for n in rows if n.stable)} stable; the first one sets world prices by "
        "default (the paper's choice).",
        "",
        "| configuration | " + " | ".join(f"$p_{j}$" for j in rows[0].prices) + " | stability |",
        "|---|" + "---:|" * len(rows[0].prices) + "---|",
    ]
    for n in rows:
        conf = ", ".join(f"{j}: {c}" for j, c in n.configuration.items())
        lines.append(
            f"| {conf} | "
            + " | ".join(_fmt(p) for p in n.prices.values())
            + f" | {n.stability.value} |"
        )
    return lines


def _equilibria_md(data: ReportData) -> list:
    lines = [
        "Every equilibrium of the small South at North's prices, found by exact regime "
        "enumeration (`marshallian solve MODEL`), each checked by an independent "
        "certificate (pay and labor residuals).",
        "",
    ]
    for m, sol in data.solutions.items():
        lines += _solution_md(m, sol)
        if m == "alternative":
            lines += _north_md(data.north)
        lines.append("")
    return lines


def _policy_md(data: ReportData) -> list:
    from .figures._labels import type_label
    from .models import get_model

    lines = [
        "Each instrument applied to South's status quo (its worst stable free-trade "
        "equilibrium, the paper's starting point) on good 2, at this calibration "
        "(`marshallian policy MODEL` compares them with other rates). Labor then moves "
        "toward better pay at speed κ = 1 (world prices fixed); welfare is Cobb-Douglas "
        "real income; temporary policies last 20 time units; tariff rate 1, subsidy rate "
        "0.5. **Mill**: the protected activity survives at world prices once protection "
        "ends. **Bastable**: the discounted gains (ρ = 0.05) cover the discounted costs. "
        "Coordination moves South to its best equilibrium without distorting prices: "
        "a temporary subsidy just large enough to carry the new activity past its "
        "critical mass.",
        "",
    ]

    def name(label, model):
        return "—" if label is None else _md_escape(type_label(label, model))

    for m, comp in (data.policy or {}).items():
        model = get_model(m)
        lines += [
            f"### {MODELS.get(m, m)}",
            "",
            f"Status quo: {name(comp.status_quo, model)}.",
            "",
            "| instrument | equilibrium reached | wage $w$ | income gap | real income "
            "| Mill | Bastable |",
            "|---|---|---:|---:|---:|---|---|",
        ]
        from .policy.comparison import DESCRIPTIONS

        for o in comp:
            lines.append(
                f"| {DESCRIPTIONS.get(o.instrument, o.instrument)} | "
                f"{name(o.equilibrium, model)} | {_fmt(o.wage, 4)} | {_fmt(o.income_gap, 4)} | "
                f"{_fmt(o.real_income, 5)} | {_fmt(o.mill)} | {_fmt(o.bastable)} |"
            )
        c = comp.coordination
        if c is not None and c.extra.get("target") == comp.status_quo:
            lines += [
                "",
                "Coordination: South is already in its best equilibrium at world "
                "prices; there is nothing to coordinate.",
            ]
        elif c is not None:
            lines += [
                "",
                f"Coordination: target {name(c.extra.get('target'), model)}; critical mass "
                f"{_fmt(c.extra.get('critical_mass'), 4)} workers; smallest temporary "
                f"subsidy {_fmt(c.extra.get('min_subsidy'), 4)} (ad valorem); reaches "
                f"the target: {'yes' if c.extra.get('reaches_target') else 'no'}.",
            ]
        lines.append("")
    return lines


def _claims_md(data: ReportData) -> list:
    claims = data.claims
    held = sum(1 for c in claims if c["holds"])
    lines = [
        f"{held} of {len(claims)} claims hold, each checked on {data.draws} random "
        f"parameter draws satisfying its premises (seed {data.seed}; `marshallian claims` "
        "runs more). The draws cover the parameter space: they do not depend on the "
        "report's calibration.",
        "",
        "| claim | § | statement | draws | holds | notes |",
        "|---|---|---|---:|---|---|",
    ]
    for c in claims:
        notes = c.get("notes", "")
        if c["counterexamples"]:
            notes = (notes + "; " if notes else "") + f"counterexample: {c['counterexamples'][0]}"
        lines.append(
            f"| {c['id']} | {_md_escape(c.get('section', ''))} | "
            f"{_md_escape(c['statement'])} | {c['draws']} | "
            f"{'yes' if c['holds'] else '**NO**'} | {_md_escape(notes)} |"
        )
    return lines + [""]


def _figures_md(data_or_records, fig_dir_name=None) -> list:
    if isinstance(data_or_records, ReportData):
        records, fig_dir_name = data_or_records.figures, data_or_records.fig_dir.name
        lines = [
            "PNG shown; PDF next to each in `figures/` (`marshallian figures --out DIR` "
            "writes them alone).",
            "",
        ]
    else:
        records, lines = data_or_records, []
    for r in records:
        lines += [f"### {r.title}", ""]
        if r.status == "ok":
            png = next((Path(f).name for f in r.files if str(f).endswith(".png")), None)
            others = [Path(f).name for f in r.files if not str(f).endswith(".png")]
            if png:
                lines += [f"![{_md_escape(r.title)}]({fig_dir_name}/{png})", ""]
            links = ", ".join(
                f"[{n.rsplit('.', 1)[1].upper()}]({fig_dir_name}/{n})" for n in others
            )
            lines.append(_md_escape(r.caption) + (f" ({links})" if links else ""))
        else:
            lines.append(f"> section not available: {_md_escape(r.reason)}")
        lines.append("")
    return lines


@dataclass(frozen=True)
class ReportSection:
    """One numbered section of ``report.md``.

    Attributes
    ----------
    key : str
        Identifier (the ``results.json`` key of its data, for added sections).
    title : str
        Heading, without its number.
    markdown : callable
        ``markdown(data: ReportData) -> list of str``: the section's lines.
    collect : callable, optional
        ``collect(data: ReportData) -> object`` run at the end of :func:`collect_report`;
        its result is ``data.extra[key]`` (and ``results.json[key]`` when JSON-ready, or
        ``to_json(result)``). A failure is reported as the section's error.
    to_json : callable, optional
    """

    key: str
    title: str
    markdown: Callable[[ReportData], list]
    collect: Callable[[ReportData], Any] | None = None
    to_json: Callable[[Any], Any] | None = None


def _explorer_collect(data: ReportData) -> list:
    """Write the interactive page next to the report; its Markdown lines (no heading)."""
    from .explore import report_section

    return [line for line in report_section(data.fig_dir.parent) if not line.startswith("## ")]


def _explorer_json(lines: list) -> dict:
    return {"page": "explore.html" if any("(explore.html)" in x for x in lines) else None}


def _world_collect(data: ReportData):
    from .report_world import collect_world

    return collect_world(data.solutions)


def _world_markdown(data: ReportData) -> list:
    from .report_world import world_md

    return world_md(data.extra["world"])


def _world_json(value) -> dict:
    from .report_world import world_json

    return world_json(value)


#: The report's sections, in order (:func:`add_section` adds one).
SECTIONS: list = [
    ReportSection("calibration", "Calibration", _calibration_md),
    ReportSection("conditions", "Derived existence conditions", _conditions_md),
    ReportSection("equilibria", "Equilibria", _equilibria_md),
    ReportSection(
        "world",
        "A large South: the two-country world",
        _world_markdown,
        collect=_world_collect,
        to_json=_world_json,
    ),
    ReportSection("policy", "Policy: free trade, tariffs, subsidies, coordination", _policy_md),
    ReportSection("claims", "The paper's claims", _claims_md),
    ReportSection("figures", "Figures", _figures_md),
    ReportSection(
        "explorer",
        "Interactive explorer",
        lambda data: data.extra["explorer"],
        collect=_explorer_collect,
        to_json=_explorer_json,
    ),
]


def add_section(section: ReportSection, *, before: str | None = "claims") -> None:
    """Add a section to the report, before the section keyed ``before`` (None: at the end).

    Examples
    --------
    >>> from marshallian.report import SECTIONS, ReportSection, add_section
    >>> saved = list(SECTIONS)
    >>> add_section(ReportSection("hello", "Hello", lambda data: ["Hello.", ""]))
    >>> keys = [s.key for s in SECTIONS]
    >>> keys.index("hello") == keys.index("claims") - 1
    True
    >>> SECTIONS[:] = saved          # leave the registry as it was
    """
    keys = [s.key for s in SECTIONS]
    if section.key in keys:
        SECTIONS[keys.index(section.key)] = section
        return
    SECTIONS.insert(keys.index(before) if before in keys else len(SECTIONS), section)


def _anchor(number: int, title: str) -> str:
    import re

    text = re.sub(r"[^\w\s-]", "", f"{number}. {title}".lower())
    return re.sub(r"\s", "-", text.strip())


def render_markdown(data: ReportData) -> str:
    """``report.md``: the numbered :data:`SECTIONS` with a table of contents."""
    cal = data.calibration
    where = "its default calibration" if cal.is_default else "the user's calibration"
    md = [
        f"# Clusters and comparative advantage — the paper at {where}",
        "",
        "Rodríguez-Clare (2007), *Clusters and comparative advantage: Implications for "
        f"industrial policy*, reproduced by `marshallian` {data.version} on {data.generated} "
        f"in {data.seconds:.1f} s ({cal.describe()}). "
        "All numbers are also in [results.json](results.json).",
        "",
    ]
    shown = data.shown()
    md += [f"{i}. [{s.title}](#{_anchor(i, s.title)})" for i, s in enumerate(shown, 1)]
    md.append("")
    for i, s in enumerate(shown, 1):
        md += [f"## {i}. {s.title}", ""]
        failed = s.key in data.sections and not data.sections[s.key].available
        md += _unavailable_md(data, s.key) if failed else s.markdown(data)
    return "\n".join(md).rstrip() + "\n"


def render_json(data: ReportData, out_dir=None) -> dict:
    """``results.json`` as a dict (strict JSON: no NaN); figure paths relative to
    ``out_dir`` when given."""

    def rel(f):
        return str(Path(f).relative_to(out_dir)) if out_dir is not None else str(f)

    doc = {
        "generated": data.generated,
        "version": data.version,
        "seconds": round(data.seconds, 2),
        "calibration": data.calibration.to_dict(),
        "params": {m: p.as_dict() for m, p in data.calibration.params.items()},
        "sections": {k: v.to_dict() for k, v in data.sections.items()},
        "models": {m: s.to_dict() for m, s in data.solutions.items()},
        "north": [n.to_dict() for n in data.north],
        "conditions": data.conditions,
        "policy": None if data.policy is None else {m: c.to_dict() for m, c in data.policy.items()},
        "claims": data.claims,
        "figures": [dict(r.to_dict(), files=[rel(f) for f in r.files]) for r in data.figures],
    }
    for s in SECTIONS:
        if s.collect is not None:  # None when the section was left out
            value = data.extra.get(s.key)
            doc[s.key] = s.to_json(value) if (s.to_json and value is not None) else value
    return doc


def write_report(data: ReportData, out_dir) -> tuple:
    """Write ``results.json`` then ``report.md`` (last: its presence means the run
    finished) into ``out_dir``, atomically; return their paths."""
    out = Path(out_dir)
    results = atomic_write(
        out / "results.json", json.dumps(render_json(data, out), indent=2, allow_nan=False) + "\n"
    )
    report = atomic_write(out / "report.md", render_markdown(data))
    return report, results


#: Top-level entries of a report folder that belong to a run (others are the user's).
REPORT_ENTRIES = ("report.md", "results.json", "figures", "explore.html")


def build_report(out_dir, params=None, **options) -> ReportResult:
    """Compute everything at one calibration and write the report folder.

    Parameters
    ----------
    out_dir : path
        Output folder (created if missing). The run is built in a hidden folder beside it
        and swapped in whole at the end: the folder always holds one complete run, the
        previous one until the new one is whole (an exception or a kill leaves it as it
        was). Entries other than :data:`REPORT_ENTRIES` are kept.
    params : Calibration or mapping, optional
        The calibration (``name -> number``, each applied to every model it is a
        parameter of); default calibration when None.
    **options
        ``draws``, ``seed``, ``formats``, ``grid``, ``workers``, ``figures``,
        ``sections`` and ``progress``, as :func:`collect_report` takes them: ``sections``
        (keys of :data:`SECTIONS`) writes a shorter report with those sections only,
        numbered in order. An unknown option is a ``TypeError``, a bad value an
        :class:`~marshallian.errors.InvalidParameterError`, both before any work.

    Returns
    -------
    ReportResult

    Examples
    --------
    The calibration and the equilibria of the three models at ``lam_2S = 0.9`` (South
    has lost its comparative advantage in good 2, so §2 has one equilibrium: claim S3);
    ``build_report(folder)`` writes every section, the figures and the explorer:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from marshallian import build_report
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     res = build_report(tmp, {"lam_2S": 0.9}, sections=["calibration", "equilibria"])
    ...     text = res.report.read_text(encoding="utf-8")
    ...     written = sorted(p.name for p in Path(tmp).iterdir())
    >>> res.ok, res.equilibria["standard"], written
    (True, (1, 1), ['report.md', 'results.json'])
    >>> [line for line in text.splitlines() if line.startswith("## ")]
    ['## 1. Calibration', '## 2. Equilibria']
    """
    from ._staging import staged_folder
    from .calibration import Calibration, calibrate

    cal = params if isinstance(params, Calibration) else calibrate(params)
    # the options collect_report takes, with its defaults: checked before the folder is staged
    bound = inspect.signature(collect_report).bind(cal, fig_dir=out_dir, **options)
    bound.apply_defaults()
    given = bound.arguments
    _validate_options(given["draws"], given["formats"], given["figures"], given["sections"])
    with staged_folder(out_dir, owned=REPORT_ENTRIES, last=("report.md",)) as stage:
        data = collect_report(cal, fig_dir=stage.path / "figures", **options)
        report, results = write_report(data, stage.path)
    report, results, data.fig_dir = (stage.final(x) for x in (report, results, data.fig_dir))
    for r in data.figures:
        r.files = [stage.final(f) for f in r.files]
    (given["progress"] or (lambda s: None))("report written")
    return ReportResult(
        report=report,
        results=results,
        sections=data.sections,
        figures=data.figures,
        claims=data.claims,
        equilibria={m: (len(s.equilibria), len(s.stable)) for m, s in data.solutions.items()},
        seconds=data.seconds,
        errors=data.errors,
        data=data,
    )
