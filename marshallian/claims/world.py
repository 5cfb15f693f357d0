r"""Claims about the two-country world (``docs/world.md``): footnote 10 and the small-South limit.

* **W1** (paper §2, footnote 10; Helpman and Krugman 1985, ch. 3): with no Ricardian
  differences (:math:`\lambda_{ji}=1`), equal sizes and :math:`1<\mu_2/\mu_1<\theta`, there
  are equilibria with one country fully in good 2 and the other fully in good 1; the
  good-2 country's wage relative to the other's is :math:`\mu_2/\mu_1>1` (it is better
  off), and condition P holds at those prices for the good-2 country. Draws:
  :math:`\theta\in[1.2,4]`, :math:`\mu_2/\mu_1` uniform in :math:`(1,\theta)` away from
  both ends by :data:`GENERIC_RTOL`, :math:`L=L_S=L_N\in[1.05,3]\,\bar L`. The notes
  report how often the specializations fail when :math:`\mu_2/\mu_1>\theta` (the premise
  relaxed: the good-2 country cannot serve the whole market at a wage that keeps the
  other out).
* **W2** (``models.md`` §7.1): as :math:`L_S/L_N\to0` the world equilibria in which North
  has full clusters in every sector converge to the small-South equilibria of §2–§3. At
  :math:`L_S/L_N=10^{-4}` they *are* them (North produces every good at its autarky prices):
  same number, wages and South allocations to :data:`VALUE_RTOL`, same stability; North's
  sector labor :math:`L_{jN}/L_N` is within :math:`2w\,L_S/L_N` of :math:`\mu_j`
  (market clearing). Draws: the §2 and §3 samplers of :mod:`marshallian.claims.static`'s
  ranges, alternately, with :math:`L_N=10^4L_S`.
"""

from __future__ import annotations

import math

from . import claim, close, counterexamples, result, solve_quietly

#: Draws within this relative distance of a knife edge are rejected as non-generic.
GENERIC_RTOL = 1e-3
#: Relative tolerance on wages and allocations.
VALUE_RTOL = 1e-9
#: L_S / L_N of the small-South claim.
SMALL_RATIO = 1e-4


def _close(a, b, rtol=VALUE_RTOL):
    return close(a, b, rtol)


def _footnote10(rng, relaxed=False):
    """A parameter set of footnote 10: lambda = 1, L_S = L_N, mu_2/mu_1 in (1, theta) away
    from both ends (above theta with ``relaxed``)."""
    theta = float(rng.uniform(1.2, 4.0))
    alpha = float(rng.uniform(0.002, 0.05))
    Lbar = (theta - 1) / alpha
    if relaxed:
        ratio = theta * float(rng.uniform(1 + GENERIC_RTOL, 3.0))
    else:
        ratio = float(rng.uniform(1 + GENERIC_RTOL, theta * (1 - GENERIC_RTOL)))
    mu1 = 1 / (1 + ratio)
    L = Lbar * float(rng.uniform(1.05, 3.0))
    return {
        "lam_1S": 1.0,
        "lam_2S": 1.0,
        "lam_1N": 1.0,
        "lam_2N": 1.0,
        "alpha": alpha,
        "Lbar": Lbar,
        "L_S": L,
        "L_N": L,
        "mu_1": mu1,
        "mu_2": 1 - mu1,
    }


def _specializations(sol):
    """(South in 2 & North in 1, South in 1 & North in 2) stable equilibria, or None."""

    def only(acts, j):
        return {a.sector for a in acts} == {j}

    s2 = [e for e in sol if e.stable and only(e.activities, 2) and only(e.north_activities, 1)]
    s1 = [e for e in sol if e.stable and only(e.activities, 1) and only(e.north_activities, 2)]
    return (s2[0] if len(s2) == 1 else None), (s1[0] if len(s1) == 1 else None)


@claim(
    "W1",
    "Footnote 10: lambda = 1, equal sizes, 1 < mu_2/mu_1 < theta: one country fully "
    "in good 2, the other in good 1; the good-2 country's relative wage is mu_2/mu_1 "
    "and condition P holds",
    "§2 fn. 10",
)
def w1(rng, draws):
    from ..models import get_model

    model = get_model("standard")

    def test(d):
        theta, ratio = 1 + d["alpha"] * d["Lbar"], d["mu_2"] / d["mu_1"]
        south2, north2 = _specializations(solve_quietly(model, d, world=True))
        if south2 is None or north2 is None:
            return {"what": "a specialization equilibrium is missing"}
        if not (_close(south2.wage, ratio) and _close(1 / north2.wage, ratio)):
            return {
                "what": f"relative wages {south2.wage}, {1 / north2.wage} != mu_2/mu_1 = {ratio}"
            }
        # condition P for the good-2 country (lambda = 1): 1/theta < p2/p1 < 1 (the last
        # country it fails for is reported)
        p_fails = [
            e.relative_price for e in (south2, north2) if not 1 / theta < e.relative_price < 1
        ]
        return (
            {"what": f"condition P fails: p2/p1 = {p_fails[-1]}, theta = {theta}"}
            if p_fails
            else None
        )

    def missing(d):
        return any(e is None for e in _specializations(solve_quietly(model, d, world=True)))

    bad = counterexamples((_footnote10(rng) for _ in range(draws)), test)
    n_relaxed = max(1, draws // 4)
    relaxed_fail = sum(missing(_footnote10(rng, relaxed=True)) for _ in range(n_relaxed))
    notes = (
        f"with mu_2/mu_1 > theta the specialization equilibria are missing in "
        f"{relaxed_fail}/{n_relaxed} draws (the good-2 country's wage would let the other in)"
    )
    return result("W1", draws, bad, notes)


def _small_south_draw(rng, name):
    lam = {
        k: float(math.exp(rng.uniform(-0.7, 0.7))) for k in ("lam_1S", "lam_2S", "lam_1N", "lam_2N")
    }
    m = float(rng.uniform(0.2, 0.8))
    d = {**lam, "mu_1": m, "mu_2": 1 - m}
    if name == "standard":
        d.update(alpha=float(rng.uniform(0.002, 0.05)), Lbar=float(rng.uniform(20, 200)))
        d["L_S"] = d["Lbar"] * float(rng.uniform(0.2, 3.0))
    else:
        beta, alpha = float(rng.uniform(0.2, 0.9)), float(rng.uniform(0.005, 0.05))
        d.update(beta=beta, alpha=alpha)
        for j in (1, 2):
            d[f"Lbar_{j}"] = (float(rng.uniform(1.1, 4.0)) - beta) / alpha
        d["L_S"] = max(d["Lbar_1"], d["Lbar_2"]) * float(rng.uniform(0.2, 3.0))
    d["L_N"] = d["L_S"] / SMALL_RATIO
    return d


def compare_small_south(model, params) -> str | None:
    """None if the world's full-cluster equilibria are the small South's, else what differs."""
    small = solve_quietly(model, params)
    world = [e for e in solve_quietly(model, params, world=True) if e.north_full_clusters]
    if len(world) != len(small):
        return f"{len(world)} world equilibria with North's full clusters, {len(small)} small-South"

    def key(e):
        return (round(e.wage, 9), [(a.sector, a.technology, a.state) for a in e.activities])

    ratio = params["L_S"] / params["L_N"]
    for a, b in zip(sorted(world, key=key), sorted(small, key=key)):
        if not _close(a.wage, b.wage) or a.stable != b.stable:
            return f"wage/stability {a.wage}/{a.stable} vs {b.wage}/{b.stable}"
        if [(x.sector, x.technology) for x in a.activities] != [
            (x.sector, x.technology) for x in b.activities
        ] or any(not _close(x.labor, y.labor) for x, y in zip(a.activities, b.activities)):
            return f"South's allocation {a.activities} vs {b.activities}"
        shares = {
            j: sum(x.labor for x in a.north_activities if x.sector == j) / params["L_N"]
            for j in a.prices
        }
        for j in sorted(shares):
            if abs(shares[j] - params[f"mu_{j}"]) > 2 * a.wage * ratio * (1 + 1e-9):
                return f"North's labor share in {j}: {shares[j]} vs mu_{j}"
    return None


@claim(
    "W2",
    "Small-South limit: as L_S/L_N -> 0 the world equilibria with North's full clusters "
    "become the small-South equilibria (wages, allocations, stability)",
    "§7.1",
)
def w2(rng, draws):
    from ..models import get_model

    bad = []
    for i in range(draws):
        name = ("standard", "alternative")[i % 2]
        model = get_model(name)
        d = _small_south_draw(rng, name)
        what = compare_small_south(model, model.params(d))
        if what:
            bad.append({"model": name, "params": d, "what": what})
    return result(
        "W2",
        draws,
        bad,
        f"at L_S/L_N = {SMALL_RATIO:g}, standard and alternative models alternately",
    )
