"""Short, human-readable names of equilibria (legends, tables and region maps).

An equilibrium (or an equilibrium *type*, as the derived conditions and the sweep label
them, e.g. ``'1:backward + 1:modern[rising]'``) is named by what South produces and how:
``'spec. in 1, cluster'`` (modern technology at or above its cap :math:`\\bar L_j`),
``'spec. in 1, partial cluster'`` (modern below the cap), ``'spec. in 1, no cluster'``
(backward only), ``'spec. in 2'`` in the §2 model (one technology per sector), and
``'1 mixed + 2 partial cluster (critical mass)'`` for interior, unstable ones.
"""

from __future__ import annotations

import re

_TECH_CHOICE = ("backward", "modern")

#: The models' titles, in the paper's order (panel titles, legends, figure titles).
MODEL_TITLES = {
    "standard": "§2 standard model",
    "alternative": "§3 alternative model",
    "dynamic": "§4 dynamic model (steady states)",
}


def label_from_parts(parts) -> str:
    """Name of an equilibrium from its active ``(sector, technology, state)`` triples.

    ``state`` is ``"rising"`` (on the rising part of the externality), ``"capped"`` or
    ``"flat"``.
    """
    parts = list(parts)
    sectors = sorted({p[0] for p in parts})
    choice = any(p[1] in _TECH_CHOICE for p in parts)
    interior = len(parts) >= 2 and any(p[2] == "rising" for p in parts)

    def how(j):
        techs = {p[1]: p[2] for p in parts if p[0] == j}
        if "backward" in techs and "modern" in techs:
            return "mixed"
        if "modern" in techs:
            return "partial cluster" if techs["modern"] == "rising" else "cluster"
        return "no cluster"

    if len(sectors) == 1:
        text = f"spec. in {sectors[0]}" + (f", {how(sectors[0])}" if choice else "")
    else:
        text = " + ".join(f"{j} {how(j)}" if choice else f"{j}" for j in sectors)
    return text + (" (critical mass)" if interior else "")


def equilibrium_label(eq) -> str:
    """Name of an :class:`~marshallian.results.Equilibrium` (see module docstring)."""
    return label_from_parts((a.sector, a.technology, a.state) for a in eq.activities)


_PART = re.compile(r"(\d+):([A-Za-z_]\w*)(\[rising\])?")


def type_label(type_text: str, model=None) -> str:
    """Name of an equilibrium *type* labelled like ``'1:backward + 1:modern[rising]'``.

    A part without ``[rising]`` is ``capped`` when its activity has an externality in
    ``model`` (default: the modern technology and the §2 ``standard`` technology of
    sector 2 do), ``flat`` otherwise.
    """
    parts = []
    for m in _PART.finditer(type_text):
        j, tech, rising = int(m.group(1)), m.group(2), m.group(3)
        if rising:
            state = "rising"
        else:
            ext = None
            if model is not None:
                try:
                    ext = model.activities[model.activity_index(j, tech)].has_externality
                except KeyError:
                    ext = None
            if ext is None:
                ext = tech == "modern"
            state = "capped" if ext else "flat"
        parts.append((j, tech, state))
    if not parts:
        raise ValueError(f"not an equilibrium-type label: {type_text!r}")
    return label_from_parts(parts)


def stable_types(solution) -> frozenset:
    """Names of the stable and neutral equilibria of a solution (a region's key).

    Neutral ones (a continuum, or a weak equilibrium labor can rest on) are kept, marked
    ``(neutral)``: the paper counts them (claims S1, A2).
    """
    return frozenset(
        equilibrium_label(e) + ("" if e.stable else " (neutral)")
        for e in solution.equilibria
        if e.stability.value != "unstable"
    )


def calibration_note(*params) -> str:
    """``'default calibration'`` or ``'calibration: NAME = VALUE, ...'`` listing the values
    of the given :class:`~marshallian.params.Parameters` that differ from their model's
    defaults (for figure titles: a figure never says "default" when it is not)."""
    from ..models import get_model

    changed: dict = {}
    for p in params:
        defaults = get_model(p.model).params().as_dict()
        for k, v in p.as_dict().items():
            if k not in changed and not _same(v, defaults.get(k)):
                changed[k] = v
    if not changed:
        return "default calibration"
    return "calibration: " + ", ".join(f"{k} = {float(v):.4g}" for k, v in changed.items())


def _same(a, b) -> bool:
    return b is not None and abs(float(a) - float(b)) <= 1e-12 * max(abs(float(a)), abs(float(b)))
