"""Text renderings shared by the CLI and the report (LaTeX tables)."""
from __future__ import annotations


def solution_latex(sol) -> str:
    """A LaTeX ``tabular`` of a :class:`~marshallian.results.Solution`."""
    rows = []
    for i, e in enumerate(sol.equilibria, 1):
        acts = ", ".join(f"{a.sector}:{a.technology}$={float(a.labor):.4g}$" for a in e.activities)
        rows.append(f"{i} & {acts} & {float(e.wage):.6g} & {float(e.income_gap):.6g} & "
                    f"{e.stability.value} & {'yes' if e.degenerate else 'no'} \\\\")
    prices = ", ".join(f"$p_{k}^*={float(v):.6g}$" for k, v in sol.prices.items())
    return ("% " + sol.model + " model; world prices " + prices.replace("$", "") + "\n"
            "\\begin{tabular}{rlrrll}\n\\hline\n"
            "\\# & activities (labor) & $w$ & $1/w$ & stability & degenerate \\\\\n\\hline\n"
            + "\n".join(rows) + "\n\\hline\n\\end{tabular}")


def conditions_latex(entries) -> str:
    """A LaTeX ``align*`` block: one line per equilibrium type and its condition."""
    from .solvers.conditions import to_latex

    lines = []
    for e in entries:
        label = " + ".join(rf"\text{{{j}:{t}}}" + (r"^{\uparrow}" if s == "rising" else "")
                           for (j, t), s in zip(e.activities, e.states))
        unstable = r"\ \text{(unstable)}" if not e.stable else ""
        lines.append(rf"{label}{unstable}: "
                     rf"&\quad {e.latex()} \\")
    defs = {}
    for e in entries:
        defs.update(e.definitions)
    head = ", ".join(f"{to_latex(k)} = {to_latex(v)}" for k, v in defs.items())
    return ("% " + (entries[0].premise if entries else "") + "\n"
            + (f"% definitions: {head}\n" if head else "")
            + "\\begin{align*}\n" + "\n".join(lines) + "\n\\end{align*}")
