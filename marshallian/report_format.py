"""Text renderings shared by the CLI and the report (LaTeX tables)."""

from __future__ import annotations


def conditions_latex(entries) -> str:
    """A LaTeX ``align*`` block: one line per equilibrium type and its condition."""
    from .solvers.conditions import to_latex

    lines = []
    for e in entries:
        label = " + ".join(
            rf"\text{{{j}:{t}}}" + (r"^{\uparrow}" if s == "rising" else "")
            for (j, t), s in zip(e.activities, e.states)
        )
        unstable = r"\ \text{(unstable)}" if not e.stable else ""
        lines.append(
            rf"{label}{unstable}: "
            rf"&\quad {e.latex()} \\"
        )
    defs = {}
    for e in entries:
        defs.update(e.definitions)
    head = ", ".join(f"{to_latex(k)} = {to_latex(v)}" for k, v in defs.items())
    return (
        "% "
        + (entries[0].premise if entries else "")
        + "\n"
        + (f"% definitions: {head}\n" if head else "")
        + "\\begin{align*}\n"
        + "\n".join(lines)
        + "\n\\end{align*}"
    )
