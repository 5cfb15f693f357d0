"""Short, human-readable names of equilibria (used in legends, tables and region maps)."""
from __future__ import annotations

_CLUSTER = {"full": "cluster", "partial": "partial cluster", "none": "no cluster"}


def has_technology_choice(eq) -> bool:
    """True for §3/§4 models (backward and modern technologies), False for §2."""
    return any(a.technology in ("backward", "modern") for a in eq.activities)


def equilibrium_label(eq) -> str:
    """E.g. ``'spec. in 1, cluster'``, ``'spec. in 2'`` (§2) or ``'1 + 2 (critical mass)'``.

    A sector is described by its cluster state (:attr:`Equilibrium.clusters`): "cluster"
    (modern technology at or above its cap :math:`\\bar L_j`), "partial cluster" (modern
    below the cap) or "no cluster" (backward only).
    """
    sectors = sorted({a.sector for a in eq.activities})
    choice = has_technology_choice(eq)

    def sector_text(j):
        if not choice:
            return f"{j}"
        techs = {a.technology for a in eq.activities if a.sector == j}
        if techs == {"backward", "modern"}:
            return f"{j} mixed"
        return f"{j} {_CLUSTER[eq.clusters.get(j, 'none')]}"

    if len(sectors) == 1:
        j = sectors[0]
        text = f"spec. in {j}"
        if choice:
            text += ", " + sector_text(j)[len(str(j)) + 1:]
        if eq.interior:
            text += " (critical mass)"
        return text
    text = " + ".join(sector_text(j) for j in sectors)
    return text + (" (critical mass)" if eq.interior else "")


def stable_types(solution) -> frozenset:
    """Labels of the stable, non-degenerate equilibria of a solution (a region's key)."""
    return frozenset(equilibrium_label(e) for e in solution.equilibria
                     if e.stable and not e.degenerate)
