"""The report: the whole paper at the default calibration, in one Markdown document.

:func:`build_report` writes, into one folder,

* ``report.md`` — the calibration, the derived existence condition of every equilibrium
  type (LaTeX), every equilibrium of the §2, §3 and §4 models with its certificate,
  North's equilibria (footnote 13), the table of the paper's claims checked on random
  draws, and the figures (relative links);
* ``results.json`` — the same results as data;
* ``figures/`` — every figure in PNG and PDF (:mod:`marshallian.figures`).

Every file is written atomically (temporary file, then rename), ``report.md`` last, so an
interrupted run never leaves a half-written file and a second run overwrites cleanly.
A part of the package that is not installed (e.g. the policy engine) does not stop the
report: its section says ``section not available: <why>``.

The symbolic derivation of the conditions and the claims run in worker processes while
the main process solves and draws (2 cores are enough for the 60-second ``make demo``).
"""
from __future__ import annotations

import datetime as _dt
import json
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

#: Models of the report, in the paper's order, with their section titles.
MODELS = {"standard": "§2 standard model", "alternative": "§3 alternative model",
          "dynamic": "§4 dynamic model (steady states)"}
#: Random parameter draws per claim in the report (the ``claims`` command uses more).
REPORT_DRAWS = 20
#: Figure formats written by the report (PNG is linked from the Markdown).
REPORT_FORMATS = ("png", "pdf")


@dataclass
class Section:
    """Availability of one part of the report."""

    name: str
    available: bool
    reason: str = ""
    error: bool = False      # True when it failed unexpectedly (the CLI then exits 1)
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {"available": self.available, "reason": self.reason, "error": self.error,
                "seconds": round(self.seconds, 3)}


@dataclass
class ReportResult:
    """What :func:`build_report` wrote.

    Attributes
    ----------
    report, results : Path
        ``report.md`` and ``results.json``.
    sections : dict
        Name -> :class:`Section` (``conditions``, ``equilibria``, ``claims``, ``figures``).
    figures : list of FigureRecord
    claims : list of dict
    equilibria : dict
        Model name -> number of equilibria (stable ones).
    seconds : float
    """

    report: Path
    results: Path
    sections: dict
    figures: list
    claims: list
    equilibria: dict
    seconds: float
    errors: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No section failed unexpectedly (unavailable sections are not failures)."""
        return not self.errors

    def summary(self) -> str:
        """A few lines for the terminal."""
        lines = []
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


# --------------------------------------------------------------------------- workers
def _unavailable(exc: BaseException, module: str) -> bool:
    return isinstance(exc, ModuleNotFoundError) and exc.name is not None \
        and module.startswith(exc.name)


def conditions_payload(model_name: str) -> dict:
    """Derived conditions of one model as plain data (runs in a worker process).

    Returns ``{"entries": [...], "premise": str, "definitions": {latex: latex}}``; each
    entry is :meth:`ConditionEntry.to_dict` plus ``label``, ``wage_latex`` and
    ``holds_at_defaults`` (the condition evaluated exactly at the default calibration).
    """
    from .models import get_model
    from .solvers.conditions import condition_holds, derive_conditions, to_latex

    model = get_model(model_name)
    entries = derive_conditions(model)
    defaults = model.params()
    out, defs = [], {}
    for e in entries:
        d = e.to_dict()
        d["label"] = e.label
        d["wage_latex"] = None if e.wage is None else to_latex(e.wage)
        try:
            d["holds_at_defaults"] = condition_holds(e, defaults)
        except Exception:   # a condition that cannot be evaluated stays undecided
            d["holds_at_defaults"] = None
        out.append(d)
        defs.update({to_latex(k): to_latex(v) for k, v in e.definitions.items()})
    return {"entries": out, "premise": entries[0].premise if entries else "",
            "definitions": defs}


def _conditions_job(models) -> dict:
    t0 = time.perf_counter()
    try:
        import marshallian.solvers.conditions  # noqa: F401
    except ModuleNotFoundError as exc:
        if _unavailable(exc, "marshallian.solvers.conditions"):
            return {"unavailable": "derived conditions need marshallian.solvers.conditions "
                                   "(not in this installation)"}
        raise
    data = {m: conditions_payload(m) for m in models}
    return {"models": data, "seconds": time.perf_counter() - t0}


def _regions_job(models, grid) -> dict:
    """Region grids of the maps (after the conditions in the same worker: the sweep then
    reuses the derivations cached in this process)."""
    from .figures.regions import GRID, compute_regions

    t0 = time.perf_counter()
    return {"regions": {m: compute_regions(m, grid=tuple(grid or GRID)) for m in models},
            "seconds": time.perf_counter() - t0}


def _merge(results, key) -> dict:
    """One job result from several (first error or unavailability wins)."""
    for r in results:
        if "error" in r or "unavailable" in r:
            return r
    merged = {}
    for r in results:
        merged.update(r[key])
    return {key: merged, "seconds": sum(r.get("seconds", 0.0) for r in results)}


def _conditions_and_regions_job(models, region_models, grid) -> dict:
    """Worker A: derived conditions, then region grids (errors kept apart)."""
    out = {}
    for name, fn, args in (("conditions", _conditions_job, (models,)),
                           ("regions", _regions_job, (region_models, grid))):
        try:
            out[name] = fn(*args)
        except Exception as exc:
            out[name] = {"error": f"{type(exc).__name__}: {exc}"}
    return out


def _claims_job(draws: int, seed: int) -> dict:
    t0 = time.perf_counter()
    from .claims import load, run_claims

    reg = load()
    if not reg:
        return {"unavailable": "no claim is registered yet (marshallian.claims.static and "
                               ".dynamic are not in this installation)"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = run_claims(draws=draws, seed=seed)
    out = []
    for r in results:
        d = r.to_dict()
        d["section"] = reg[r.id].section
        out.append(d)
    return {"claims": out, "seconds": time.perf_counter() - t0}


# --------------------------------------------------------------------------- rendering
def _md_escape(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _fmt(v, digits=6) -> str:
    try:
        return f"{float(v):.{digits}g}"
    except (TypeError, ValueError):
        return str(v)


def _param_table(solutions) -> list:
    names = []
    for sol in solutions.values():
        for n in sol.params.as_dict():
            if n not in names:
                names.append(n)
    lines = ["| parameter | " + " | ".join(MODELS.get(m, m) for m in solutions) + " |",
             "|---|" + "---:|" * len(solutions)]
    for n in names:
        cells = [_fmt(sol.params.as_dict()[n]) if n in sol.params.as_dict() else "—"
                 for sol in solutions.values()]
        lines.append(f"| `{n}` | " + " | ".join(cells) + " |")
    return lines


def _equilibria_md(model_name, sol) -> list:
    from .figures._labels import equilibrium_label

    prices = ", ".join(f"$p_{k}^* = {_fmt(v)}$" for k, v in sol.prices.items())
    lines = [f"### {MODELS.get(model_name, model_name)}", ""]
    if sol.north is not None:
        conf = ", ".join(f"good {j}: {c}" for j, c in sol.north.configuration.items())
        lines.append(f"World prices {prices} (North's equilibrium: {conf}).")
    else:
        lines.append(f"World prices {prices}.")
    lines += ["", f"{len(sol.equilibria)} equilibria, {len(sol.stable)} stable "
              "(sorted by income gap; ↑ = on the rising part of its externality).", "",
              "| # | equilibrium | activities (labor) | wage $w$ | income gap $1/w$ | stable "
              "| note | certificate (max residual) |",
              "|---:|---|---|---:|---:|---|---|---|"]
    for i, e in enumerate(sol.equilibria, 1):
        acts = e.describe_activities(rising_mark="↑", sep=" = ")
        note = [f for f in e.flags() if f != "NOT VERIFIED"]  # the certificate has a column
        if e.sector_factor:
            note.append("A_S/A_N: " + ", ".join(f"{j}: {_fmt(v, 4)}"
                                                for j, v in e.sector_factor.items()))
        c = e.certificate
        resid = max(abs(c.max_pay_residual), c.labor_residual)
        cert = ("verified" if c.verified else "**NOT verified**") + f" ({resid:.1e})"
        lines.append(f"| {i} | {_md_escape(equilibrium_label(e))} | {_md_escape(acts)} | "
                     f"{_fmt(e.wage)} | {_fmt(e.income_gap)} | {'yes' if e.stable else 'no'} | "
                     f"{_md_escape('; '.join(note))} | {cert} |")
    return lines


def _north_md(model_name, params) -> list:
    from .solvers.equilibrium import north_equilibria

    rows = north_equilibria(model_name, params)
    lines = ["", f"North's closed-economy equilibria (footnote 13): {len(rows)}, "
             f"{sum(1 for n in rows if n.stable)} stable; the first one sets world prices by "
             "default (the paper's choice).", "",
             "| configuration | " + " | ".join(f"$p_{j}$" for j in rows[0].prices) + " | stable |",
             "|---|" + "---:|" * len(rows[0].prices) + "---|"]
    for n in rows:
        conf = ", ".join(f"{j}: {c}" for j, c in n.configuration.items())
        lines.append(f"| {conf} | " + " | ".join(_fmt(p) for p in n.prices.values())
                     + f" | {'yes' if n.stable else 'no'} |")
    return lines


def _agreement(data, sol) -> str:
    """Do the derived conditions pick out exactly the equilibria ``solve`` found?

    Types without a closed form (``holds_at_defaults`` None) are decided by ``solve``.
    """
    undecided = {e["label"] for e in data["entries"] if e["holds_at_defaults"] is None}
    derived = {e["label"] for e in data["entries"] if e["holds_at_defaults"]}
    found = {e.label for e in sol.equilibria if not e.degenerate}
    extra = ""
    if undecided:
        extra = (f" {len(undecided)} type(s) have no closed-form condition and are decided by "
                 f"`solve` alone: {', '.join(sorted(undecided))}"
                 f" ({'found' if undecided & found else 'not found'} at the defaults).")
    if derived == found - undecided:
        return (f"At the default calibration the derived conditions hold for exactly the "
                f"equilibria found by `solve` (section 3).{extra}")
    return ("**Mismatch at the default calibration** between the derived conditions and "
            f"`solve`: only derived {sorted(derived - found)}, only solved "
            f"{sorted(found - derived - undecided)}.{extra}")


def _conditions_md(cond, solutions) -> list:
    lines = []
    for m, data in cond["models"].items():
        lines += [f"### {MODELS.get(m, m)}", ""]
        if m in solutions:
            lines += [_agreement(data, solutions[m]), ""]
        if data["premise"]:
            lines.append(f"World prices: {_md_escape(data['premise'])}.")
        if data["definitions"]:
            lines.append("Definitions: " + ", ".join(f"${k} = {v}$"
                                                     for k, v in data["definitions"].items()) + ".")
        lines.append("")
        for i, e in enumerate(data["entries"], 1):
            label = " + ".join(f"{j}:{t}" + ("↑" if s == "rising" else "")
                               for (j, t), s in zip(e["activities"], e["states"]))
            holds = {True: "holds", False: "fails", None: "undecided"}[e["holds_at_defaults"]]
            wage = f"; wage $w = {e['wage_latex']}$" if e.get("wage_latex") else ""
            lines.append(f"{i}. **{label}** ({'stable' if e['stable'] else 'unstable'}){wage}; "
                         f"at the default calibration the condition {holds}:")
            lines += ["", "   $$", "   " + e["latex"], "   $$", ""]
            if e.get("note"):
                lines.append(f"   _{_md_escape(e['note'])}_")
                lines.append("")
    return lines


def _claims_md(claims) -> list:
    lines = ["| claim | § | statement | draws | holds | notes |", "|---|---|---|---:|---|---|"]
    for c in claims:
        notes = c.get("notes", "")
        if c["counterexamples"]:
            notes = (notes + "; " if notes else "") + f"counterexample: {c['counterexamples'][0]}"
        lines.append(f"| {c['id']} | {_md_escape(c.get('section', ''))} | "
                     f"{_md_escape(c['statement'])} | {c['draws']} | "
                     f"{'yes' if c['holds'] else '**NO**'} | {_md_escape(notes)} |")
    return lines


def _figures_md(records, fig_dir_name) -> list:
    lines = []
    for r in records:
        lines += [f"### {r.title}", ""]
        if r.status == "ok":
            png = next((Path(f).name for f in r.files if str(f).endswith(".png")), None)
            others = [Path(f).name for f in r.files if not str(f).endswith(".png")]
            if png:
                lines.append(f"![{_md_escape(r.title)}]({fig_dir_name}/{png})")
                lines.append("")
            links = ", ".join(f"[{n.rsplit('.', 1)[1].upper()}]({fig_dir_name}/{n})" for n in others)
            lines.append(_md_escape(r.caption) + (f" ({links})" if links else ""))
        else:
            lines.append(f"> section not available: {_md_escape(r.reason)}")
        lines.append("")
    return lines


def _unavailable_md(section: Section) -> list:
    return [f"> section not available: {_md_escape(section.reason)}", ""]


# --------------------------------------------------------------------------- main
def _write_report(out_dir, *, draws: int = REPORT_DRAWS, seed: int = 0,
                 formats=REPORT_FORMATS, grid=None, workers: bool = True,
                 figures=None, progress=None) -> ReportResult:
    """Write the report into ``out_dir`` (a fresh staging folder: see :func:`build_report`)."""
    from .cli.common import atomic_write
    from .errors import DegenerateEquilibriumWarning, InvalidParameterError, Violation
    from .figures import write_figures
    from .solvers.equilibrium import solve

    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 1:
        raise InvalidParameterError(Violation("draws", draws, "must be an integer >= 1"))
    from .figures import FORMATS
    formats = tuple(dict.fromkeys(("png",) + tuple(formats)))
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise InvalidParameterError(Violation("formats", bad[0], f"must be among {', '.join(FORMATS)}"))
    t_start = time.perf_counter()
    say = progress or (lambda s: None)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    fig_dir = out / "figures"

    # 1. worker A: derived conditions then region grids; worker B: the claims.
    #    This process meanwhile solves the models and draws the other figures.
    from .figures import FIGURES

    wanted = list(FIGURES) if figures is None else list(figures)
    unknown = [n for n in wanted if n not in FIGURES]
    if unknown:
        raise InvalidParameterError(Violation("figures", unknown[0],
                                              f"must be one of {', '.join(FIGURES)}"))
    region_names = [n for n in wanted if n.startswith("regions_")]
    region_models = tuple(n[len("regions_"):] for n in region_names)
    # the §4 derivation is the longest: it gets a worker of its own
    groups = [tuple(m for m in MODELS if m != "dynamic"), ("dynamic",)]
    jobs = {f"models{i}": (_conditions_and_regions_job,
                           (g, tuple(m for m in region_models if m in g), grid))
            for i, g in enumerate(groups)}
    jobs["claims"] = (_claims_job, (draws, seed))
    pool, futures = None, {}
    if workers:
        from ._processes import worker_pool

        pool = worker_pool(2)      # workers die with this process
        futures = {k: pool.submit(fn, *a) for k, (fn, a) in jobs.items()}

    sections: dict = {}
    errors: list = []

    def result_of(job):
        try:
            return futures[job].result() if job in futures else jobs[job][0](*jobs[job][1])
        except Exception as exc:   # a crashed worker: every section it feeds says so
            return {"error": f"{type(exc).__name__}: {exc}"}

    def section(name, res):
        """Record a job's outcome as a Section; return its payload or None."""
        if "error" in res:
            sections[name] = Section(name, False, "error: " + res["error"], True)
            errors.append(f"{name}: {res['error']}")
            return None
        if "unavailable" in res:
            sections[name] = Section(name, False, res["unavailable"])
            return None
        sections[name] = Section(name, True, seconds=res.get("seconds", 0.0))
        return res

    try:
        # 2. every equilibrium of the three models
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DegenerateEquilibriumWarning)
            solutions = {m: solve(m) for m in MODELS}
        sections["equilibria"] = Section("equilibria", True, seconds=time.perf_counter() - t0)
        say(f"equilibria solved ({time.perf_counter() - t0:.1f} s)")

        # 3. figures that need no worker, then the region maps from worker A's grids
        t0 = time.perf_counter()
        ctx = {"solutions": solutions}
        if grid is not None:
            ctx["grid"] = tuple(grid)

        def told(r):
            say(f"figure {r.name}: {r.status} ({r.seconds:.1f} s)")

        records = write_figures(fig_dir, [n for n in wanted if n not in region_names],
                                formats=formats, context=ctx, progress=told)
        parts = [result_of(k) for k in jobs if k.startswith("models")]
        cond = section("conditions", _merge([p.get("conditions", p) for p in parts], "models"))
        say("conditions: " + ("derived" if cond else sections["conditions"].reason))
        reg = section("regions", _merge([p.get("regions", p) for p in parts], "regions"))
        if reg:
            ctx["regions"] = reg["regions"]
        records += write_figures(fig_dir, region_names, formats=formats, context=ctx,
                                 progress=told)
        records.sort(key=lambda r: list(FIGURES).index(r.name))
        sections["figures"] = Section("figures", True, seconds=time.perf_counter() - t0)
        for r in records:
            if r.status == "error":
                errors.append(f"figure {r.name}: {r.reason}")
        claims_res = section("claims", result_of("claims"))
        say("claims: " + ("checked" if claims_res else sections["claims"].reason))
    except BaseException:
        if pool is not None:           # interrupted: stop the workers now
            from ._processes import terminate
            terminate(pool)
            pool = None
        raise
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    claims = claims_res["claims"] if claims_res else []

    # 4. write results.json, then report.md (last: its presence means the run finished)
    seconds = time.perf_counter() - t_start
    try:
        from importlib.metadata import version
        pkg_version = version("marshallian")
    except Exception:  # pragma: no cover - not installed
        pkg_version = "unknown"
    generated = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()
    results = {
        "generated": generated, "version": pkg_version, "seconds": round(seconds, 2),
        "sections": {k: v.to_dict() for k, v in sections.items()},
        "models": {m: s.to_dict() for m, s in solutions.items()},
        "conditions": cond["models"] if cond else None,
        "claims": claims,
        "figures": [dict(r.to_dict(), files=[str(Path(f).relative_to(out)) for f in r.files])
                    for r in records],
    }
    results_path = atomic_write(out / "results.json",
                                json.dumps(results, indent=2, allow_nan=False) + "\n")

    md = ["# Clusters and comparative advantage — the paper at its default calibration",
          "",
          "Rodríguez-Clare (2007), *Clusters and comparative advantage: Implications for "
          "industrial policy*, reproduced by `marshallian` "
          f"{pkg_version} on {generated} in {seconds:.1f} s. "
          "All numbers are also in [results.json](results.json).", "",
          "1. [Calibration](#1-calibration)",
          "2. [Derived existence conditions](#2-derived-existence-conditions)",
          "3. [Equilibria](#3-equilibria)", "4. [The paper's claims](#4-the-papers-claims)",
          "5. [Figures](#5-figures)", "",
          "## 1. Calibration", "",
          "Default calibration of each model (`marshallian solve MODEL --set NAME=VALUE` "
          "changes any of them).", ""]
    md += _param_table(solutions)
    md += ["", "## 2. Derived existence conditions", "",
           "Derived by SymPy from the model's primitives with the same regime solver as the "
           "numerical enumeration (`marshallian conditions MODEL`); nothing is typed in from "
           "the paper. Each type of equilibrium exists exactly where its condition holds "
           "(↑ marks an activity on the rising part of its externality: a critical mass).", ""]
    md += _conditions_md(cond, solutions) if cond else _unavailable_md(sections["conditions"])
    md += ["## 3. Equilibria", "",
           "Every equilibrium of the small South at North's prices, found by exact regime "
           "enumeration (`marshallian solve MODEL`), each checked by an independent "
           "certificate (pay and labor residuals).", ""]
    for m, sol in solutions.items():
        md += _equilibria_md(m, sol)
        if m == "alternative":
            md += _north_md(m, sol.params)
        md.append("")
    md += ["## 4. The paper's claims", ""]
    if claims:
        held = sum(1 for c in claims if c["holds"])
        md += [f"{held} of {len(claims)} claims hold, each checked on {draws} random parameter "
               f"draws satisfying its premises (seed {seed}; `marshallian claims` runs more).",
               ""]
        md += _claims_md(claims)
        md.append("")
    else:
        md += _unavailable_md(sections["claims"])
    md += ["## 5. Figures", "", "PNG shown; PDF next to each in `figures/` "
           "(`marshallian figures --out DIR` writes them alone).", ""]
    md += _figures_md(records, fig_dir.name)
    report_path = atomic_write(out / "report.md", "\n".join(md).rstrip() + "\n")
    say("report written")
    return ReportResult(report=report_path, results=results_path, sections=sections,
                        figures=records, claims=claims,
                        equilibria={m: (len(s.equilibria), len(s.stable))
                                    for m, s in solutions.items()},
                        seconds=time.perf_counter() - t_start, errors=errors)


#: Top-level entries of a report folder that belong to a run (others are the user's).
REPORT_ENTRIES = ("report.md", "results.json", "figures")


def build_report(out_dir, *, draws: int = REPORT_DRAWS, seed: int = 0,
                 formats=REPORT_FORMATS, grid=None, workers: bool = True,
                 figures=None, progress=None) -> ReportResult:
    """Compute everything at the default calibration and write the report folder.

    Parameters
    ----------
    out_dir : path
        Output folder (created if missing). The run is built in a hidden folder beside it
        and swapped in whole at the end: the folder always holds one complete run, the
        previous one until the new one is whole (an exception or a kill leaves it as it
        was). Entries other than ``report.md``, ``results.json`` and ``figures/`` are kept.
    draws : int
        Random parameter draws per claim (:func:`marshallian.claims.run_claims`).
    seed : int
        Seed of the claims' draws.
    formats : iterable of str
        Figure formats (PNG is always written: the Markdown links it).
    grid : (int, int), optional
        Region-map grid (default :data:`marshallian.figures.regions.GRID`).
    workers : bool
        Run the symbolic conditions, the region grids and the claims in two worker
        processes (default; started with ``spawn``, so a script calling this must guard
        its top level with ``if __name__ == "__main__":``, as for any multiprocessing);
        False runs everything in this process (slower, simpler to debug).
    figures : iterable of str, optional
        Names of the figures to draw (default: all of :data:`marshallian.figures.FIGURES`).
    progress : callable, optional
        Called with a short string as each part finishes.

    Returns
    -------
    ReportResult
    """
    from ._staging import staged_folder

    with staged_folder(out_dir, owned=REPORT_ENTRIES, last=("report.md",)) as stage:
        res = _write_report(stage.path, draws=draws, seed=seed, formats=formats, grid=grid,
                            workers=workers, figures=figures, progress=progress)
    for r in res.figures:
        r.files = [stage.final(f) for f in r.files]
    res.report, res.results = stage.final(res.report), stage.final(res.results)
    return res
