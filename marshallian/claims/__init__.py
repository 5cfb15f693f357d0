"""Registry of the paper's claims (``docs/models.md`` §6) as executable checks.

Each claim is a function ``check(rng, draws) -> ClaimResult`` registered with
:func:`claim`; it draws parameter sets that satisfy the claim's premises (seeded, so runs
repeat) and checks the statement on each. Static claims (S1–S7, A1–A9) live in
:mod:`marshallian.claims.static`, dynamic ones (D1–D6) in :mod:`marshallian.claims.dynamic`.
``marshallian claims`` and the test suite run the same registry.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

#: Modules holding claim definitions (imported on first use).
CLAIM_MODULES = (
    "marshallian.claims.static",
    "marshallian.claims.dynamic",
    "marshallian.claims.world",
)
#: Default number of random parameter draws per claim.
DEFAULT_DRAWS = 200


@dataclass
class ClaimResult:
    """Outcome of one claim's check.

    Attributes
    ----------
    id, statement : str
    draws : int
        Parameter sets checked.
    holds : bool
        True when the statement held on every draw (and every fixed case).
    counterexamples : list of dict
        Parameter sets (and what happened) where it failed; for claims whose point is a
        counterexample when a premise is relaxed (e.g. A9) they are reported in ``notes``.
    notes : str

    Examples
    --------
    >>> import marshallian as m
    >>> [outcome] = m.run_claims(["A1"], draws=3)
    >>> outcome.holds, outcome.draws
    (True, 3)
    """

    id: str
    statement: str
    draws: int
    holds: bool
    counterexamples: list = field(default_factory=list)
    notes: str = ""

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "statement": self.statement,
            "draws": self.draws,
            "holds": self.holds,
            "counterexamples": self.counterexamples[:5],
            "notes": self.notes,
        }


@dataclass(frozen=True)
class Claim:
    """One registered claim of the paper: its id, statement, section and check.

    Examples
    --------
    >>> from marshallian.claims import load
    >>> a1 = load()["A1"]
    >>> a1.id, a1.section
    ('A1', '§3')
    """

    id: str
    statement: str
    section: str
    check: Callable


REGISTRY: dict = {}


def counterexamples(cases, test) -> list:
    """The draw–solve–compare loop of the claim checks.

    Parameters
    ----------
    cases : iterable of dict
        Parameter draws (already satisfying the claim's premises).
    test : callable
        ``test(d)`` returns None (or an empty dict) when the statement holds at ``d``,
        otherwise a dict saying what happened there.

    Returns
    -------
    list of dict
        One ``{"params": d, **what}`` per draw where the statement failed.

    Examples
    --------
    >>> counterexamples([{"a": 1}, {"a": -1}], lambda d: None if d["a"] > 0 else {"sign": -1})
    [{'params': {'a': -1}, 'sign': -1}]
    """
    bad = []
    for d in cases:
        what = test(d)
        if what:
            bad.append({"params": d, **what})
    return bad


def solve_quietly(model, params, world: bool = False):
    """Every equilibrium of South at ``params`` (:func:`marshallian.solve`), or of the
    two-country world with ``world`` (:func:`marshallian.solve_world`), without the warning
    on degenerate equilibria: the checks look at knife edges themselves.

    Examples
    --------
    >>> from marshallian.claims import solve_quietly
    >>> len(solve_quietly("alternative", None))      # §3: seven equilibria by default
    7
    """
    if world:
        from ..solvers.world import solve_world

        return solve_world(model, params, warn=False)
    from ..solvers import solve

    return solve(model, params, warn=False)


def close(a: float, b: float, rtol: float) -> bool:
    """Whether ``a`` and ``b`` agree to the relative tolerance ``rtol`` (of the larger).

    Examples
    --------
    >>> close(1.0, 1.0 + 1e-9, 1e-7), close(1.0, 1.1, 1e-7)
    (True, False)
    """
    return abs(a - b) <= rtol * max(abs(a), abs(b))


def result(cid: str, draws: int, bad: list, notes: str = "") -> ClaimResult:
    """The :class:`ClaimResult` of claim ``cid``: it holds when ``bad`` is empty.

    Examples
    --------
    >>> from marshallian.claims import load, result
    >>> _ = load()
    >>> outcome = result("A1", draws=3, bad=[])      # no counterexample: the claim holds
    >>> outcome.holds, outcome.draws
    (True, 3)
    """
    return ClaimResult(cid, REGISTRY[cid].statement, draws, not bad, bad, notes)


def claim(id: str, statement: str, section: str):
    """Decorator registering ``check(rng, draws) -> ClaimResult`` under ``id``.

    Examples
    --------
    Register a check (here a throw-away one, removed again so the registry is unchanged):

    >>> from marshallian.claims import REGISTRY, claim, result
    >>> @claim("X1", "An example claim that always holds.", "§3")
    ... def check_x1(rng, draws):
    ...     return result("X1", draws, bad=[])
    >>> REGISTRY["X1"].check(None, 2).holds
    True
    >>> del REGISTRY["X1"]
    """

    def deco(fn):
        REGISTRY[id] = Claim(id, statement, section, fn)
        return fn

    return deco


def load() -> dict:
    """Import every claim module and return the registry, sorted by id.

    Examples
    --------
    >>> from marshallian.claims import load
    >>> registry = load()
    >>> registry["A1"].section, list(registry)[:2]
    ('§3', ['S1', 'S2'])
    """
    for mod in CLAIM_MODULES:
        importlib.import_module(mod)
    order = {"S": 0, "A": 1, "D": 2, "W": 3}
    return dict(sorted(REGISTRY.items(), key=lambda kv: (order.get(kv[0][0], 9), int(kv[0][1:]))))


def run_claims(ids=None, draws: int = DEFAULT_DRAWS, seed: int = 0) -> list:
    """Run the selected claims (all by default) with ``draws`` seeded draws each.

    Examples
    --------
    Claim A1 (§3, footnote 13): North has four stable equilibria when both sectors can cluster:

    >>> import marshallian as m
    >>> [r] = m.run_claims(["A1"], draws=3)
    >>> r.id, r.holds, r.counterexamples
    ('A1', True, [])
    """
    import numpy as np

    from ..errors import InvalidParameterError, Violation

    reg = load()
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 1:
        raise InvalidParameterError(Violation("draws", draws, "must be an integer >= 1"))
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InvalidParameterError(Violation("seed", seed, "must be an integer >= 0"))
    draws, seed = int(draws), int(seed)
    if isinstance(ids, str):  # one claim id, not its letters
        ids = [ids]
    try:
        ids = list(reg) if ids is None else list(ids)
    except TypeError:
        raise InvalidParameterError(
            Violation("ids", ids, "must be claim ids, e.g. ['S1', 'A2']")
        ) from None
    unknown = [i for i in ids if i not in reg]
    if unknown:
        raise InvalidParameterError(
            Violation("claim", unknown[0], f"must be one of {', '.join(reg)}")
        )
    out = []
    for i, cid in enumerate(ids):
        rng = np.random.default_rng([seed, i])
        out.append(reg[cid].check(rng, draws))
    return out
