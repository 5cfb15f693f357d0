"""The paper's static claims (``docs/models.md`` §6: S1–S7 for §2, A1–A9 for §3) as checks.

Every check draws parameter sets that satisfy the claim's premises (seeded generator,
``draws`` accepted draws), solves the model with the core engine and tests the statement;
failures are returned as counterexamples (parameters and what happened). Draws are
*generic*: a draw whose deciding ratios lie within :data:`GENERIC_RTOL` of a knife edge of
the claim's condition is rejected (knife edges are degenerate by ``docs/models.md`` §2 and tested
elsewhere). Where a premise is needed for the statement, the check also draws with that
premise relaxed and reports, in ``notes``, how often the statement then fails (A9's point
is such an example: it *shows* the extra equilibrium).

Sampling: productivities :math:`\\lambda_{ji}=e^{U(-0.7,0.7)}`; §2: :math:`\\alpha\\in
[0.002,0.05]`, :math:`\\bar L\\in[20,200]`; §3: :math:`\\beta\\in[0.2,0.9]`,
:math:`\\theta_j\\in[1.1,4]` (so :math:`\\bar L_j=(\\theta_j-\\beta)/\\alpha`),
:math:`\\alpha\\in[0.005,0.05]`; North's :math:`\\mu_jL_N` above :math:`\\bar L_j` (full
clusters in North, the paper's world prices) by a factor in [1.05, 5]; :math:`L_S` above every :math:`\\bar L_j` by a factor in
[1.05, 3] unless a claim relaxes it; shares :math:`\\mu_j\\in[0.2,0.8]`.
"""

from __future__ import annotations

import math

from . import claim, close, counterexamples, result, solve_quietly

#: Draws within this relative distance of a knife edge are rejected as non-generic.
GENERIC_RTOL = 1e-3
#: Give up after this many attempts per requested draw (premises too rare).
MAX_ATTEMPTS_PER_DRAW = 200
#: Relative tolerance comparing wages/gaps with the paper's closed forms.
VALUE_RTOL = 1e-7


def _close(a, b, rtol=VALUE_RTOL):
    return close(a, b, rtol)


def _generic(*ratios):
    """True when every ratio (condition lhs/rhs) is away from 1 by GENERIC_RTOL."""
    return all(abs(r - 1) > GENERIC_RTOL for r in ratios)


def _lam(rng):
    return {
        k: float(math.exp(rng.uniform(-0.7, 0.7))) for k in ("lam_1S", "lam_2S", "lam_1N", "lam_2N")
    }


def _standard(rng, L_above=True, **fix):
    d = _lam(rng)
    d.update(alpha=float(rng.uniform(0.002, 0.05)), Lbar=float(rng.uniform(20, 200)))
    f = rng.uniform(1.05, 3.0) if L_above else rng.uniform(0.2, 0.95)
    d["L_S"] = d["Lbar"] * float(f)
    m = float(rng.uniform(0.2, 0.8))
    d.update(mu_1=m, mu_2=1 - m)
    # North has a full cluster (paper §2: L_2N > Lbar)
    d["L_N"] = d["Lbar"] / d["mu_2"] * float(rng.uniform(1.05, 5.0))
    d.update(fix)
    return d


def _alternative(rng, L_above=True, **fix):
    d = _lam(rng)
    beta, alpha = float(rng.uniform(0.2, 0.9)), float(rng.uniform(0.005, 0.05))
    d.update(beta=beta, alpha=alpha)
    for j in (1, 2):
        d[f"Lbar_{j}"] = (float(rng.uniform(1.1, 4.0)) - beta) / alpha
    f = rng.uniform(1.05, 3.0) if L_above else rng.uniform(0.2, 0.95)
    d["L_S"] = max(d["Lbar_1"], d["Lbar_2"]) * float(f)
    m = float(rng.uniform(0.2, 0.8))
    d.update(mu_1=m, mu_2=1 - m)
    # North has full clusters in both sectors (paper §3: p_j* = 1/(theta_j lam_jN))
    d["L_N"] = max(d["Lbar_1"] / d["mu_1"], d["Lbar_2"] / d["mu_2"]) * float(rng.uniform(1.05, 5.0))
    d.update(fix)
    return d


def _theta(d, j=None):
    if j is None:
        return 1 + d["alpha"] * d["Lbar"]
    return d["beta"] + d["alpha"] * d[f"Lbar_{j}"]


def _sample(rng, draws, make, premise):
    """``draws`` parameter dicts from ``make(rng)`` satisfying ``premise(d)``."""
    out: list[dict] = []
    attempts = 0
    while len(out) < draws:
        attempts += 1
        if attempts > MAX_ATTEMPTS_PER_DRAW * draws:
            raise RuntimeError("premises too rare for the sampler")
        d = make(rng)
        if premise(d):
            out.append(d)
    return out


def _labels(sol, stable_only=False):
    return {e.label for e in sol.equilibria if e.stable or not stable_only}


def _find(sol, label):
    for e in sol.equilibria:
        if e.label == label:
            return e
    return None


def _model(name):
    from ..models import get_model

    return get_model(name)


def _rel_ca(d):
    """(lam_2S/lam_1S)/(lam_2N/lam_1N): > 1 is CA in good 2 (§2)."""
    return (d["lam_2S"] / d["lam_1S"]) / (d["lam_2N"] / d["lam_1N"])


def _star(d):
    """(lam_1S/lam_1N)/(lam_2S/lam_2N) / theta_1: < 1 is condition (*) (§3)."""
    return (d["lam_1S"] / d["lam_1N"]) / (d["lam_2S"] / d["lam_2N"]) / _theta(d, 1)


def _a9(d):
    """(lam_2N/lam_2S) theta_2 / ((lam_1N/lam_1S) theta_1): >= 1 is the paper's assumption."""
    return (d["lam_2N"] / d["lam_2S"]) * _theta(d, 2) / ((d["lam_1N"] / d["lam_1S"]) * _theta(d, 1))


def _ca1(d):
    """(lam_1S/lam_1N)/(lam_2S/lam_2N): > 1 is South's CA in good 1 (§3)."""
    return 1 / _rel_ca(d)


def _cases(rng, draws, make, premise, test):
    """Counterexamples among ``draws`` draws of ``make`` satisfying ``premise``."""
    return counterexamples(_sample(rng, draws, make, premise), test)


def _failures(rng, draws, make, premise, fails) -> int:
    """How many of ``draws`` draws (a premise relaxed) make the statement fail."""
    return sum(bool(fails(d)) for d in _sample(rng, draws, make, premise))


def _relaxed(rng, draws, make, premise, fails) -> str:
    """``"k/n"``: of ``n`` = a quarter of ``draws`` (at least one) draws with a premise
    relaxed, ``k`` make the statement fail (what the notes report)."""
    n = max(1, draws // 4)
    return f"{_failures(rng, n, make, premise, fails)}/{n}"


# =========================================================================== §2
@claim(
    "S1",
    "With lambda_ji = 1: specialization in 1 and in 2 are both equilibria, with w = 1 in both.",
    "§2",
)
def check_s1(rng, draws):
    m = _model("standard")
    ones = dict(lam_1S=1.0, lam_2S=1.0, lam_1N=1.0, lam_2N=1.0)
    weak = 0

    def test(d):
        nonlocal weak
        sol = solve_quietly(m, d)
        e1, e2 = _find(sol, "1:standard"), _find(sol, "2:standard")
        ok = e1 is not None and e2 is not None and _close(e1.wage, 1) and _close(e2.wage, 1)
        # both are equilibria labor can stay in (the paper counts both): specialization in 1
        # is stable; specialization in 2 is weak (good 1 pays exactly w), the end of a
        # continuum of splits at w = 1, so neutral, never unstable
        ok = ok and e1.stability.value == "stable" and e2.stability.value != "unstable"
        weak += bool(e2 is not None and e2.degenerate)
        return (
            None
            if ok
            else {
                "equilibria": sorted(_labels(sol)),
                "stability": {e.label: e.stability.value for e in sol.equilibria},
            }
        )

    bad = _cases(rng, draws, lambda r: _standard(r, **ones), lambda d: True, test)
    return result(
        "S1",
        draws,
        bad,
        f"specialization in 2 is a weak equilibrium (good 1 pays "
        f"exactly w) in {weak}/{draws} draws: a knife edge, as "
        "docs/models.md §2 reports, neutrally stable (labor can rest "
        "on it and on the continuum of splits at w = 1)",
    )


def _exists_iff(m, label, condition):
    """Test: the equilibrium ``label`` exists iff ``condition(d)``."""

    def test(d):
        cond, has = condition(d), _find(solve_quietly(m, d), label) is not None
        return None if has == cond else {"condition": cond, "equilibrium": has}

    return test


@claim(
    "S2", "Specialization in 1 is an equilibrium iff (lam_2S/lam_1S)/(lam_2N/lam_1N) < theta.", "§2"
)
def check_s2(rng, draws):
    m = _model("standard")
    bad = _cases(
        rng,
        draws,
        _standard,
        lambda d: _generic(_rel_ca(d) / _theta(d)),
        _exists_iff(m, "1:standard", lambda d: _rel_ca(d) < _theta(d)),
    )
    return result("S2", draws, bad)


@claim(
    "S3",
    "Specialization in 2 is an equilibrium iff CA: lam_2S/lam_1S > lam_2N/lam_1N "
    "(given L_S > Lbar).",
    "§2",
)
def check_s3(rng, draws):
    m = _model("standard")
    bad = _cases(
        rng,
        draws,
        _standard,
        lambda d: _generic(_rel_ca(d)),
        _exists_iff(m, "2:standard", lambda d: _rel_ca(d) > 1),
    )
    relaxed = _failures(
        rng,
        draws,
        lambda r: _standard(r, L_above=False),
        lambda d: _generic(_rel_ca(d)),
        lambda d: (
            any(e.specialized_in() == 2 for e in solve_quietly(m, d).equilibria) != (_rel_ca(d) > 1)
        ),
    )
    return result(
        "S3",
        draws,
        bad,
        f"premise relaxed (L_S < Lbar): statement fails in "
        f"{relaxed}/{draws} draws (the premise is needed)",
    )


@claim(
    "S4",
    "In the equilibrium specialized in j, w = lam_jS/lam_jN; under CA the good-2 one pays more.",
    "§2",
)
def check_s4(rng, draws):
    m = _model("standard")

    def test(d):
        sol = solve_quietly(m, d)
        w = {j: e.wage for j in (1, 2) if (e := _find(sol, f"{j}:standard")) is not None}
        wrong = {j: v for j, v in w.items() if not _close(v, d[f"lam_{j}S"] / d[f"lam_{j}N"])}
        ranked = not (_rel_ca(d) > 1 and len(w) == 2) or w[2] > w[1]
        return None if not wrong and ranked else {"wages": w, "wrong_wages": wrong}

    bad = _cases(
        rng, draws, _standard, lambda d: _generic(_rel_ca(d), _rel_ca(d) / _theta(d)), test
    )
    return result("S4", draws, bad)


@claim(
    "S5",
    "Condition P (lam_1S/(theta lam_2S) < p_2*/p_1* < lam_1S/lam_2S) holds iff both "
    "specializations are equilibria; its left inequality is equivalent to CA.",
    "§2",
)
def check_s5(rng, draws):
    m = _model("standard")

    def test(d):
        sol = solve_quietly(m, d)
        rel = sol.prices[2] / sol.prices[1]
        left = d["lam_1S"] / (_theta(d) * d["lam_2S"]) < rel
        right = rel < d["lam_1S"] / d["lam_2S"]
        both = _find(sol, "1:standard") is not None and _find(sol, "2:standard") is not None
        if (left and right) == both and left == (_rel_ca(d) > 1):
            return None
        return {"P": left and right, "both": both, "left": left, "CA": _rel_ca(d) > 1}

    bad = _cases(
        rng, draws, _standard, lambda d: _generic(_rel_ca(d), _rel_ca(d) / _theta(d)), test
    )
    return result("S5", draws, bad)


def _mill_s6(m, d):
    """Mill test of a temporary tariff on good 2 from specialization in 1 (§2)."""
    from ..policy.adjustment import run_policy
    from ..policy.instruments import FREE_TRADE, policy_equilibria, tariff

    p = solve_quietly(m, d).prices
    # a tariff making good 2 pay 20 % more than good 1 at the status quo (establishes it)
    tau = 1.2 * (p[1] * d["lam_1S"]) / (p[2] * d["lam_2S"]) - 1
    free = policy_equilibria(m, d, FREE_TRADE)
    sq = next(e for e in free.equilibria if e.label == "1:standard")
    return run_policy(m, d, tariff(2, max(tau, 0.0)), duration=None, status_quo=sq)


@claim("S6", "A temporary tariff on good 2 passes the Mill test iff CA.", "§2")
def check_s6(rng, draws):
    m = _model("standard")

    def premise(d):
        # status quo: specialization in 1 exists; protection can establish the full cluster
        # (self-sufficiency employs mu_2 L_S >= Lbar workers in good 2)
        return (
            _generic(_rel_ca(d), _rel_ca(d) / _theta(d))
            and _rel_ca(d) < _theta(d)
            and d["mu_2"] * d["L_S"] > d["Lbar"] * (1 + GENERIC_RTOL)
            and abs(math.log(_rel_ca(d))) > 0.02
        )

    def test(d):
        run = _mill_s6(m, d)
        if run.mill == (_rel_ca(d) > 1) and run.converged:
            return None
        return {"CA": _rel_ca(d) > 1, "mill": run.mill, "converged": run.converged}

    bad = _cases(rng, draws, _standard, premise, test)
    relaxed = _relaxed(
        rng,
        draws,
        _standard,
        lambda d: (
            _rel_ca(d) < _theta(d) and _rel_ca(d) > 1.02 and d["mu_2"] * d["L_S"] < d["Lbar"] * 0.9
        ),
        lambda d: _mill_s6(m, d).mill is not True,
    )
    return result(
        "S6",
        draws,
        bad,
        "Mill test: the tariff (20 % pay premium for good 2) runs until the "
        "Marshallian adjustment settles, then ends; passes iff good 2 survives at "
        "world prices. Premise: mu_2 L_S > Lbar (protection, which stops at "
        f"self-sufficiency, can establish the full cluster). Relaxed (mu_2 L_S < Lbar, "
        f"CA holds): Mill fails in {relaxed} draws.",
    )


@claim(
    "S7",
    "Fig. 1: the PPF is convex for Q_2 < lam_2S theta Lbar and linear beyond; at the "
    "good-1 corner its slope equals that of PPF_NC (alpha = 0).",
    "§2",
)
def check_s7(rng, draws):
    import numpy as np

    from ..policy.ppf import ppf

    m = _model("standard")

    def test(d):
        f = ppf(m, d, 801)
        kink = d["lam_2S"] * _theta(d) * d["Lbar"]
        below = f.Q2 < kink * (1 - 1e-9)
        above = f.Q2 > kink * (1 + 1e-9)
        # secant slopes -dQ1/dQ2 between grid points: strictly falling (convex) below the
        # kink, constant (linear) above
        sec = -np.diff(f.Q1) / np.diff(f.Q2)
        sb = sec[below[1:]]
        sa = sec[above[:-1]]
        convex = bool(np.all(np.diff(sb) < 0))
        linear = bool(sa.size == 0 or np.allclose(sa, sa[0], rtol=1e-9))
        corner = _close(f.mrt[0], f.mrt_nc, 1e-12) and _close(f.mrt_nc, d["lam_1S"] / d["lam_2S"])
        if convex and linear and corner and _close(f.kink_Q2, kink):
            return None
        return {"convex": convex, "linear": linear, "corner": corner}

    return result("S7", draws, _cases(rng, draws, _standard, lambda d: True, test))


# =========================================================================== §3
def _a1_premise(d):
    return all(
        d["beta"] + d["alpha"] * min(d[f"Lbar_{j}"], d[f"mu_{j}"] * d["L_N"]) > 1 + 1e-3
        for j in (1, 2)
    )


@claim(
    "A1",
    "North has four stable equilibria (cluster or not in each sector) when both can cluster.",
    "§3",
)
def check_a1(rng, draws):
    from ..solvers import north_equilibria

    m = _model("alternative")
    want = {((1, a), (2, b)) for a in ("cluster", "backward") for b in ("cluster", "backward")}

    def make(r):
        d = _alternative(r)
        d["L_N"] = float(r.uniform(50, 2000))
        return d

    def test(d):
        st = [n for n in north_equilibria(m, d) if n.stable]
        confs = {tuple(sorted(n.configuration.items())) for n in st}
        return None if len(st) == 4 and confs == want else {"stable": [n.configuration for n in st]}

    bad = _cases(rng, draws, make, _a1_premise, test)
    relaxed = _relaxed(
        rng,
        draws,
        make,
        lambda d: not _a1_premise(d),
        lambda d: sum(n.stable for n in north_equilibria(m, d)) != 4,
    )
    return result(
        "A1",
        draws,
        bad,
        f"premise relaxed (a sector cannot cluster): not four stable equilibria in {relaxed} draws",
    )


@claim(
    "A2",
    "With lam_ji = 1 and theta_j = theta: cluster equilibria have gap 1; the "
    "no-cluster one has gap theta.",
    "§3",
)
def check_a2(rng, draws):
    m = _model("alternative")

    def make(r):
        d = _alternative(r, lam_1S=1.0, lam_2S=1.0, lam_1N=1.0, lam_2N=1.0)
        d["Lbar_2"] = d["Lbar_1"]
        d["L_S"] = d["Lbar_1"] * float(r.uniform(1.05, 3.0))
        d["L_N"] = d["Lbar_1"] / min(d["mu_1"], d["mu_2"]) * float(r.uniform(1.05, 5.0))
        return d

    def test(d):
        sol = solve_quietly(m, d)
        th = _theta(d, 1)
        cl = [e for e in sol.equilibria if not e.interior and "full" in e.clusters.values()]
        nc = [e for e in sol.equilibria if not e.interior and set(e.clusters.values()) == {"none"}]
        ok = (
            bool(cl)
            and bool(nc)
            and all(_close(e.income_gap, 1) for e in cl)
            and all(_close(e.income_gap, th) for e in nc)
        )
        # the paper's equilibria are ones labor stays in: each specialization with a cluster
        # is stable, the no-cluster one (backward in both goods, no trade) is neutral
        ok = ok and any(e.stable for e in cl) and all(e.stability.value == "neutral" for e in nc)
        return (
            None
            if ok
            else {
                "cluster_gaps": [e.income_gap for e in cl],
                "no_cluster_gaps": [e.income_gap for e in nc],
                "no_cluster_stability": [e.stability.value for e in nc],
            }
        )

    return result(
        "A2",
        draws,
        _cases(rng, draws, make, lambda d: True, test),
        "the no-cluster equilibrium is a continuum (backward in both goods pays the "
        "same): reported as degenerate and neutrally stable",
    )


def _a3_premise(d):
    return _generic(_ca1(d), _star(d), _a9(d)) and _ca1(d) > 1 and _a9(d) > 1


_A3_STABLE = {"1:backward", "1:modern", "2:modern"}


@claim(
    "A3",
    "With South's CA in good 1: spec. in 1 without cluster (gap theta_1 lam_1N/lam_1S), "
    "spec. in 1 with cluster (gap lam_1N/lam_1S), spec. in 2 with cluster (gap "
    "lam_2N/lam_2S) iff (*): (lam_1S/lam_1N)/(lam_2S/lam_2N) < theta_1.",
    "§3",
)
def check_a3(rng, draws):
    m = _model("alternative")

    def test(d):
        sol = solve_quietly(m, d)
        b1, m1, m2 = (_find(sol, x) for x in ("1:backward", "1:modern", "2:modern"))
        ok = (
            b1 is not None
            and _close(b1.income_gap, _theta(d, 1) * d["lam_1N"] / d["lam_1S"])
            and m1 is not None
            and _close(m1.income_gap, d["lam_1N"] / d["lam_1S"])
            and (m2 is not None) == (_star(d) < 1)
            and (m2 is None or _close(m2.income_gap, d["lam_2N"] / d["lam_2S"]))
        )
        stable_spec = {e.label for e in sol.stable}
        ok = ok and stable_spec <= _A3_STABLE
        return None if ok else {"stable": sorted(stable_spec), "star": _star(d) < 1}

    bad = _cases(rng, draws, _alternative, _a3_premise, test)

    def fails(d):
        sol = solve_quietly(m, d)
        return not (
            {e.label for e in sol.stable} <= _A3_STABLE and _find(sol, "1:backward") is not None
        )

    relaxed = _relaxed(
        rng,
        draws,
        _alternative,
        lambda d: _generic(_ca1(d), _star(d), _a9(d)) and _ca1(d) > 1 and _a9(d) < 1,
        fails,
    )
    return result(
        "A3",
        draws,
        bad,
        "premises: CA in good 1, L_S > Lbar_j, and the paper's "
        "assumption (lam_2N/lam_2S) theta_2 >= (lam_1N/lam_1S) "
        "theta_1 (see A9); no other stable equilibrium exists. "
        f"Assumption relaxed: the list is wrong in {relaxed} "
        "draws (spec. in 1 without cluster disappears, spec. in 2 "
        "without cluster appears)",
    )


@claim("A4", "Income ranking: 1-with-cluster > 2-with-cluster > 1-without-cluster.", "§3")
def check_a4(rng, draws):
    m = _model("alternative")

    def test(d):
        sol = solve_quietly(m, d)
        found = [_find(sol, x) for x in ("1:modern", "2:modern", "1:backward")]
        w = [e.wage for e in found if e is not None]
        return (
            None
            if len(w) == 3 and w[0] > w[1] > w[2]
            else {"wages": [e.wage if e else None for e in found]}
        )

    bad = _cases(rng, draws, _alternative, lambda d: _a3_premise(d) and _star(d) < 1, test)
    return result("A4", draws, bad, "premises as A3, plus (*) so that all three exist")


@claim("A5", "theta_2 does not affect South's income in the spec.-2 equilibrium.", "§3")
def check_a5(rng, draws):
    m = _model("alternative")

    def test(d):
        e = _find(solve_quietly(m, d), "2:modern")
        d2 = dict(d)
        th2 = float(rng.uniform(1.1, 6.0))
        d2["Lbar_2"] = (th2 - d["beta"]) / d["alpha"]
        d2["L_S"] = max(d["L_S"], d2["Lbar_2"] * 1.1)
        d2["L_N"] = max(d["L_N"], d2["Lbar_2"] / d["mu_2"] * 1.1)
        e2 = _find(solve_quietly(m, d2), "2:modern")
        # income per worker (the wage) must not move with theta_2
        if e is not None and e2 is not None and _close(e.wage, e2.wage):
            return None
        return {"theta_2_new": th2, "wages": [x.wage if x else None for x in (e, e2)]}

    bad = _cases(rng, draws, _alternative, lambda d: _a3_premise(d) and _star(d) < 1, test)
    return result("A5", draws, bad)


@claim(
    "A6",
    "The best equilibrium is clustering in the sector of strongest comparative "
    "advantage, whatever the theta_j.",
    "§3",
)
def check_a6(rng, draws):
    m = _model("alternative")

    def test(d):
        best = solve_quietly(m, d).best()
        expected = f"{1 if _ca1(d) > 1 else 2}:modern"
        return None if best.label == expected else {"best": best.label, "expected": expected}

    bad = _cases(rng, draws, _alternative, lambda d: _generic(_ca1(d)), test)
    return result(
        "A6", draws, bad, "no restriction on theta_1, theta_2 (A9's assumption not imposed)"
    )


@claim(
    "A7",
    "Import substitution (a tariff on good 2) never needs a cluster: at every tariff "
    "an equilibrium without clusters exists, and good 2 can be produced backward.",
    "§3",
)
def check_a7(rng, draws):
    from ..policy.instruments import policy_equilibria, tariff

    m = _model("alternative")

    def no_cluster(e):
        return set(e.equilibrium.clusters.values()) == {"none"}

    def test(d):
        tau = float(rng.choice([rng.uniform(0, 1), rng.uniform(1, 20)]))
        out = policy_equilibria(m, d, tariff(2, tau))
        none = [e for e in out.stable if no_cluster(e)]
        # a tariff high enough that backward good 2 out-pays backward good 1 at the status quo
        p2, p1 = out.world_prices[2], out.world_prices[1]
        tau_b = 1.2 * p1 * d["lam_1S"] / (p2 * d["lam_2S"]) - 1
        out_b = policy_equilibria(m, d, tariff(2, tau_b))
        backward2 = [e for e in out_b.stable if e.output[2] > 0 and no_cluster(e)]
        if none and backward2:
            return None
        return {
            "tariff": tau,
            "stable": [e.label for e in out.stable],
            "tariff_backward": tau_b,
            "stable_at_tariff_backward": [e.label for e in out_b.stable],
        }

    bad = _cases(rng, draws, _alternative, _a3_premise, test)
    return result(
        "A7",
        draws,
        bad,
        "tariff rates drawn in [0, 20]: a stable no-cluster "
        "equilibrium is required at each; at a tariff giving backward "
        "good 2 a 20 % pay premium over good 1, a stable equilibrium "
        "produces good 2 backward, without any cluster. (At some "
        "tariffs good 2 is produced only with a cluster, in the "
        "self-sufficient position: that is not a counterexample.)",
    )


@claim(
    "A8",
    "If (*) fails, a cluster in 2 needs distorted prices and lowers welfare below the "
    "no-cluster status quo; if (*) holds it raises welfare but stays below "
    "1-with-cluster.",
    "§3",
)
def check_a8(rng, draws):
    from ..policy.coordination import promote_cluster
    from ..policy.instruments import FREE_TRADE, policy_equilibria

    m = _model("alternative")

    def test(d):
        pr = promote_cluster(m, d, 2)
        best1 = next(
            e for e in policy_equilibria(m, d, FREE_TRADE).equilibria if e.label == "1:modern"
        )
        u = pr.equilibrium.welfare.utility if pr.equilibrium else math.nan
        if _star(d) < 1:
            ok = not pr.distorted and pr.welfare_change > 0 and u < best1.welfare.utility
        else:
            ok = pr.distorted and pr.welfare_change < 0
        return (
            None
            if ok
            else {"star": _star(d) < 1, "subsidy": pr.subsidy, "welfare_change": pr.welfare_change}
        )

    bad = _cases(rng, draws, _alternative, _a3_premise, test)
    return result(
        "A8",
        draws,
        bad,
        "promotion = smallest subsidy to sector 2 making "
        "specialization in 2 with a full cluster an equilibrium; "
        "status quo = specialization in 1 without cluster; "
        "Cobb-Douglas welfare at world consumer prices",
    )


@claim(
    "A9",
    "(paper's simplifying assumption) when (lam_2N/lam_2S) theta_2 < (lam_1N/lam_1S) "
    "theta_1 the equilibrium set changes (spec. in 2 without cluster appears): the "
    "package must show it, not hide it.",
    "§3",
)
def check_a9(rng, draws):
    m = _model("alternative")
    example = None
    half = max(1, draws // 2)

    def violated(d):
        nonlocal example
        sol = solve_quietly(m, d)
        e = _find(sol, "2:backward")
        if e is None or not e.stable:
            return {"violated": True, "equilibria": sorted(_labels(sol))}
        if example is None:
            example = (d, e, sol)
        return None

    def holds(d):
        sol = solve_quietly(m, d)
        return (
            None
            if _find(sol, "2:backward") is None
            else {"violated": False, "equilibria": sorted(_labels(sol))}
        )

    bad = _cases(rng, half, _alternative, lambda d: _generic(_a9(d)) and _a9(d) < 1, violated)
    bad += _cases(rng, draws - half, _alternative, lambda d: _generic(_a9(d)) and _a9(d) > 1, holds)
    notes = (
        "assumption violated: spec. in 2 without cluster is a stable equilibrium in every draw; "
        "assumption holds: it never is."
    )
    if example is not None:
        d, e, sol = example
        notes += (
            f" Example: lam={d['lam_1S']:.4g},{d['lam_2S']:.4g},{d['lam_1N']:.4g},"
            f"{d['lam_2N']:.4g} theta_1={_theta(d, 1):.4g} theta_2={_theta(d, 2):.4g}: "
            f"extra equilibrium '{e.label}' with gap {e.income_gap:.6g} among "
            f"{len(sol.equilibria)} equilibria ({', '.join(sorted(_labels(sol, True)))} stable)"
        )
    return result("A9", draws, bad, notes)
