"""Write the notebooks of the paper walk-through (without outputs).

Run ``python notebooks/make_notebooks.py`` after editing the cells below; the committed
``.ipynb`` files are exactly what this script writes (``tests/test_notebooks.py`` checks
that they carry no outputs and executes each one).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

SETUP_HEAD = """%matplotlib inline
import warnings
"""
SETUP_TAIL = """
warnings.simplefilter("ignore", DegenerateEquilibriumWarning)"""
SETUP = (
    SETUP_HEAD
    + """
from marshallian.errors import DegenerateEquilibriumWarning
from marshallian.models import get_model
from marshallian.solvers.equilibrium import solve
"""
    + SETUP_TAIL
)


def md(text):
    return new_markdown_cell(text.strip("\n"))


def code(text):
    return new_code_cell(text.strip("\n"))


# --------------------------------------------------------------------------- 01
NB1 = [
    md(r"""
# 1. The standard model (Rodríguez-Clare 2007, §2)

Two goods, labor the only factor. Good 1 has constant returns; good 2 has a *Marshallian
externality* (static, local, industry-specific) that is exhausted at $\bar L$:

$$\varphi_{2i}(L_{2i}) = \lambda_{2i}\,[1+\alpha\min(\bar L, L_{2i})], \qquad \theta \equiv 1+\alpha\bar L > 1.$$

South is *small*: world prices are North's autarky prices. North has a full cluster in
good 2, so $p_1^* = 1/\lambda_{1N}$ and $p_2^* = 1/(\theta\lambda_{2N})$ (North's wage is the
numeraire). This notebook reproduces the section with the package: every equilibrium,
the conditions for each, and Fig. 1.
"""),
    code(
        SETUP
        + """
model = get_model("standard")
params = model.params()          # the default calibration
dict(params)"""
    ),
    md(r"""
## No Ricardian differences: multiple equilibria, same wage (claim S1)

With $\lambda_{ji}=1$, specialization in good 1 and in good 2 are both equilibria, with
$w=1$ in both: the clustering gains in good 2 are exactly offset by its lower world price.
`solve` lists **every** equilibrium, stable or not; the interior one is the *critical mass*
separating the two (unstable).
"""),
    code("""
equal = solve(model, dict(lam_1S=1, lam_2S=1, lam_1N=1, lam_2N=1))
equal"""),
    md(r"""
## A natural comparative advantage in good 2 (claims S3, S4)

Under CA, $\lambda_{2S}/\lambda_{1S} > \lambda_{2N}/\lambda_{1N}$, specialization in good 2
is always an equilibrium and pays more: in the equilibrium specialized in $j$,
$w=\lambda_{jS}/\lambda_{jN}$. The default calibration has $\lambda_{2S}=1.2$.
"""),
    code("""
sol = solve(model)
print(sol.summary())
for e in sol.stable:
    j = e.specialized_in()
    print(f"spec. in {j}: w = {e.wage:.4g}  vs  lam_{j}S/lam_{j}N = {params[f'lam_{j}S'] / params[f'lam_{j}N']:.4g}")"""),
    md(r"""
## The existence conditions, derived (claims S2, S3, S5)

The engine derives the condition of each equilibrium type from the model's primitives
(SymPy, same regime solver as the numerical enumeration). Specialization in 1 needs
$(\lambda_{2S}/\lambda_{1S})/(\lambda_{2N}/\lambda_{1N}) < \theta$ (S2); specialization in 2
needs CA (S3). Together they are condition (P) on world prices (S5).
"""),
    code("""
from marshallian.solvers.conditions import derive_conditions

for entry in derive_conditions("standard"):
    print(entry.text())"""),
    code("""
# S2 on a few points: spec. in 1 exists iff the CA ratio is below theta
theta = 1 + params["alpha"] * params["Lbar"]
for lam_2S in (1.5, 1.9, 2.1, 3.0):
    s = solve(model, dict(lam_2S=lam_2S))
    has1 = any(e.specialized_in() == 1 and e.stable for e in s)
    print(f"lam_2S={lam_2S}: ratio {lam_2S:.2f} < theta={theta:g}? {lam_2S < theta}; spec. in 1 found: {has1}")"""),
    md(r"""
## Fig. 1: specialization in the presence of clusters (claim S7)

South's frontier is convex while $Q_2 < \lambda_{2S}\theta\bar L$ and linear beyond; at the
good-1 corner its slope equals that of PPF$_{NC}$ (no externality). When (P) holds, both
corners are equilibria and the good-2 one has the higher budget line.
"""),
    code("""
from marshallian.figures import make_figure

make_figure("fig1_ppf")"""),
    md(r"""
## Where each equilibrium exists

Every point of the plane (comparative advantage $x$, clustering benefit $\theta$) is solved;
the lines are the paper's conditions S2 ($x=1/\theta$) and CA ($x=1$).
"""),
    code("""
from marshallian.figures.regions import region_map

region_map("standard", grid=(48, 32))"""),
]

# --------------------------------------------------------------------------- 02
NB2 = [
    md(r"""
# 2. The alternative model (§3): clusters come with a technology, not a sector

Every sector can be produced with a *backward* technology ($\lambda_{ji}$, no externality)
or a *modern* one, $\lambda_{ji}[\beta+\alpha\min(\bar L_j, L_{jiM})]$ with $0<\beta<1$ and
$\theta_j=\beta+\alpha\bar L_j>1$. Expanding a sector no longer guarantees a cluster.
"""),
    code(
        SETUP
        + """
model = get_model("alternative")
params = model.params()
theta = {j: params["beta"] + params["alpha"] * params[f"Lbar_{j}"] for j in (1, 2)}
dict(params), theta"""
    ),
    md(r"""
## North's equilibria (footnote 13, claim A1)

North can cluster or not in each sector: four stable equilibria (plus unstable mixed ones).
The paper assumes clusters everywhere, so $p_j^* = 1/(\theta_j\lambda_{jN})$; the package
lets you choose (`solve(..., north=...)`).
"""),
    code("""
from marshallian.solvers.equilibrium import north_equilibria

for n in north_equilibria(model):
    if n.stable:
        print(n.configuration, {j: round(p, 4) for j, p in n.prices.items()})"""),
    md(r"""
## South's equilibria (claims A2–A4)

With comparative advantage in good 1 South has three stable equilibria: specialized in 1
with a cluster (gap $\lambda_{1N}/\lambda_{1S}$), in 2 with a cluster (gap
$\lambda_{2N}/\lambda_{2S}$, if condition (*) holds) and in 1 *without* a cluster (gap
$\theta_1\lambda_{1N}/\lambda_{1S}$): the ranking is 1-with > 2-with > 1-without. The
unstable interior equilibria are the critical masses between them.
"""),
    code("""
sol = solve(model)
sol"""),
    md(r"""
With no Ricardian differences and $\theta_1=\theta_2=\theta$ (claim A2) the cluster
equilibria have gap 1 and the no-cluster one gap $\theta$. The no-cluster equilibrium is
the paper's "no trade" one: both backward sectors pay the same, so any split of labor
between them is an equilibrium. `solve` reports this knife edge as *degenerate* (a
continuum, with its end points) instead of silently picking one allocation, and calls it
*neutral*: labor can rest anywhere on it (it is not pushed back, nor away), so it counts
as an equilibrium the economy can stay in, unlike the *unstable* critical masses.
"""),
    code("""
flat = solve(model, dict(lam_1S=1, lam_2S=1, lam_1N=1, lam_2N=1, Lbar_2=params["Lbar_1"]))
[(e.label, round(e.income_gap, 6), e.degeneracy, e.stability.value)
 for e in flat if not e.interior]"""),
    md(r"""
## Condition (*) and the role of $\theta_2$ (claims A3, A5, A6)

Specialization in 2 with a cluster is an equilibrium iff
$(\lambda_{1S}/\lambda_{1N})/(\lambda_{2S}/\lambda_{2N}) < \theta_1$: it is $\theta_1$, not
$\theta_2$, that matters, because North's cluster in 2 is already in the world price of
good 2. $\theta_2$ does not change South's income in that equilibrium.
"""),
    code("""
from marshallian.solvers.conditions import derive_conditions

entry = next(e for e in derive_conditions(model)
             if e.activities == ((2, "modern"),) and e.states == ("capped",))
entry.condition, entry.definitions"""),
    code("""
for Lbar_2 in (100.0, 150.0, 190.0):
    s = solve(model, dict(Lbar_2=Lbar_2))
    e2 = next(e for e in s.stable if e.specialized_in() == 2)
    print(f"theta_2 = {0.5 + 0.02 * Lbar_2:.2f}: gap in spec. 2 with a cluster = {e2.income_gap:.6g}")"""),
    md(r"""
## The paper's simplifying assumption (A9)

The paper rules out $(\lambda_{2N}/\lambda_{2S})\theta_2 < (\lambda_{1N}/\lambda_{1S})\theta_1$.
When it fails, *specialization in 2 without a cluster* becomes an equilibrium (and
specialization in 1 without one disappears): the package shows it rather than hiding it.
"""),
    code("""
a9 = solve(model, dict(lam_2S=0.95, Lbar_2=60.0))   # theta_2 = 1.7
[(e.label, round(e.income_gap, 4)) for e in a9.stable]"""),
    md(r"""
## Region map

Every grid point solved (or the vectorised sweep of the derived conditions where
available); the lines are (*), A9's boundary $x=\theta_1/\theta_2$ and its mirror
$x=1/\theta_2$.
"""),
    code("""
from marshallian.figures.regions import region_map

region_map("alternative", grid=(48, 32))"""),
    code("""
from marshallian.figures import make_figure

make_figure("income_gaps")"""),
]

# --------------------------------------------------------------------------- 03
NB3 = [
    md(r"""
# 3. Dynamic externalities and international spillovers (§4)

Productivity gets a factor $A_{jit}$ that grows by learning by doing in a cluster and by
spillovers from the leader:

$$\dot A_{jit} = A_{jit}\left[\frac{g}{\bar L_j}\min(\bar L_j, L_{jiM}) + \varepsilon(1-a_{jit})\right],
\qquad a_{jit}=\min\{A_{jit}/A_{jkt},\,1\},\quad \varepsilon>g>0.$$

(The paper prints $\max\{\cdot,1\}$, which would give the leader *negative* spillovers: a
typo, claim D6. The package uses $\min$.) Without a cluster South's relative productivity
settles at $\hat a = 1-g/\varepsilon$; with a full cluster it converges to 1.
"""),
    code(
        SETUP
        + """
model = get_model("dynamic")
params = model.params()
a_hat = 1 - params["g"] / params["eps"]
print(f"g = {params['g']}, eps = {params['eps']}, a_hat = {a_hat:.4g}")"""
    ),
    md(r"""
## Steady states (claims D2, D4)

In steady state the §3 productivities are multiplied by $a_j$: $\hat a$ without a cluster,
1 with a full one. Specialization in 1 without a cluster now has gap
$(\theta_1/\hat a)(\lambda_{1N}/\lambda_{1S})$ and condition (*) becomes
$(\lambda_{1S}/\lambda_{1N})/(\lambda_{2S}/\lambda_{2N}) < \theta_1/\hat a$: dynamic
externalities make clusters matter more.
"""),
    code("""
sol = solve(model)
sol"""),
    code("""
theta_1 = params["beta"] + params["alpha"] * params["Lbar_1"]
no_cluster = next(e for e in sol.stable if e.specialized_in() == 1 and e.clusters[1] == "none")
print(f"gap without a cluster {no_cluster.income_gap:.6g} = (theta_1 / a_hat) * lam_1N/lam_1S = "
      f"{theta_1 / a_hat * params['lam_1N'] / params['lam_1S']:.6g}")"""),
    md(r"""
## Catch-up paths (claims D1, D3, D5)

The law of motion of $a=A_S/A_N$ is logistic: the package integrates it in closed form
and checks the result against numerical integration. A cluster closes the gap (growth
above $g$ on the way); without one South grows at $g$ in steady state and never converges.
"""),
    code("""
from marshallian.solvers.dynamics import path

p = path(dict(a0_1=0.35, a0_2=0.35), sector=1, technology="modern", t_max=150)
print(p.summary())"""),
    code("""
from marshallian.figures import make_figure

make_figure("catchup_paths")"""),
    md(r"""
## Region map of the steady states

The spec.-2-with-cluster boundary moves from $x=\theta_1$ (§3, dotted) to
$x=\theta_1/\hat a$.
"""),
    code("""
from marshallian.figures.regions import region_map

region_map("dynamic", grid=(40, 24), method="solve")   # every point solved exactly"""),
]

# --------------------------------------------------------------------------- 04
NB4 = [
    md(r"""
# 4. Policy: infant industries, import substitution, cluster promotion (§2, §3.1)

Welfare needs preferences (Cobb-Douglas by default). Instruments: a tariff on good 2
(domestic price set by South's trade position: import, self-sufficient or export; revenue
rebated), production subsidies, and *coordination*: moving the economy to a better
equilibrium without distorting prices. The Mill test asks whether the protected activity
survives at world prices once protection ends; the Bastable test whether discounted gains
cover discounted costs (the package supplies the adjustment process the paper leaves out:
see `marshallian.policy.adjustment`).
"""),
    code(
        SETUP_HEAD
        + """
from marshallian.errors import DegenerateEquilibriumWarning
from marshallian.policy.adjustment import run_policy
from marshallian.policy.coordination import coordination, promote_cluster
from marshallian.policy.instruments import policy_equilibria, tariff
"""
        + SETUP_TAIL
    ),
    md(r"""
## §2: infant-industry protection passes the Mill test iff CA (claim S6)

Starting from specialization in good 1, a temporary tariff on good 2 moves South to the
good-2 equilibrium; it survives free trade only when South has a natural comparative
advantage in good 2.
"""),
    code("""
with_ca = run_policy("standard", None, tariff(2, 0.8), duration=30)      # lam_2S = 1.2: CA
without = run_policy("standard", dict(lam_2S=0.9), tariff(2, 1.5), duration=30)   # no CA
print(with_ca.summary())
print(without.summary())"""),
    md(r"""
## §3.1: import substitution does not need a cluster (claim A7)

Under a tariff good 2 can be produced with the backward technology: at every tariff rate
there is an equilibrium without clusters.
"""),
    md(r"""
### The income gap under a policy

A tariff changes consumer prices, so income measured at domestic prices overstates what
South can buy. The income gap under any policy is North's income per worker ($w_N=1$) over
South's *real* income per worker valued at world prices $p^*$, its money-metric utility:

$$\text{gap}=\frac{w_N}{y^*/L_S},\qquad y^*=I\,\frac{e(p^*)}{e(p)}=e(p^*)\,U,$$

with $I$ South's income (wages, plus rebated tariff revenue, minus lump-sum taxes), $p$ its
consumer prices, $e$ the unit expenditure function and $U=I/e(p)$ its utility. Under free
trade $p=p^*$ and $I=wL_S$, so the gap is $1/w$; since $y^*$ is proportional to $U$, the
gap always moves opposite to South's welfare: a tariff never looks like catch-up while
welfare falls.
"""),
    code("""
out = policy_equilibria("alternative", None, tariff(2, 1.0))
print(out.summary())
free = policy_equilibria("alternative", None, tariff(2, 0.0))
[(e.label, e.position, round(e.income_gap, 4), round(e.welfare.utility, 2))
 for e in (free.equilibria[-1], out.equilibria[-1])]"""),
    code("""
from marshallian.figures import make_figure

make_figure("welfare_tariff")"""),
    md(r"""
## Cluster promotion (claims A6, A8)

Coordination at world prices towards the cluster in the sector of strongest comparative
advantage needs only a temporary push past the critical mass. Promoting a cluster in
good 2 where condition (*) fails needs distorted prices and lowers welfare.
"""),
    code("""
plan = coordination("alternative")
print(plan.summary())
# any free-trade equilibrium can be the target, named by its label
print(coordination("alternative", target="2:modern").summary())"""),
    md(r"""
### Every instrument at equal rates

`compare_instruments` applies each instrument that exists in the model to the status quo,
at equal ad valorem rates by default (a production subsidy then costs less than a tariff,
which also distorts consumption); a row that is not comparable with the others (a
permanent tariff, an instrument with its own rate) carries a note.
"""),
    code("""
from marshallian.policy.comparison import compare_instruments

compare_instruments("standard")"""),
    code("""
ok = promote_cluster("alternative", None, sector=2)                    # (*) holds
bad = promote_cluster("alternative", dict(lam_1S=3.0), sector=2)       # (*) fails: x = 3.75 > theta_1
for name, pr in (("(*) holds", ok), ("(*) fails", bad)):
    print(f"{name}: subsidy needed {pr.subsidy:.3g}, welfare change {pr.welfare_change:+.4g}")"""),
]

# --------------------------------------------------------------------------- 05
NB5 = [
    md(r"""
# 5. Empirics: agglomeration and export entry (seed 004)

The theory says that Marshallian externalities are local and industry-specific. The
empirical companion asks whether agglomerations of exporters lower the cost of export entry,
with firm-level data: location quotients, Kolmogorov–Smirnov dominance tests (Table 2), and
a probit of export status with year, industry and region fixed effects (Tables 3–7).

No firm-level panel can ship with a package, so this notebook uses the package's
**synthetic panel**: an export-entry model with AR(1) log productivity and a sunk entry cost,
paid by last year's non-exporters, that falls with the number of incumbent exporters in the
same county and industry. Its true parameters are known, so we can see what the paper's
specification recovers.
"""),
    code("""%matplotlib inline
import pandas as pd

from marshallian.empirics import (
                                  CORRECT_FE,
                                  CORRECT_X,
                                  build_regressors,
                                  ks_table,
                                  probit,
                                  read_panel,
                                  regression_table,
                                  simulate_panel,
                                  true_margins,
)
from marshallian.empirics.figures import tfp_densities
from marshallian.empirics.probit import OWNERSHIP_X

sim = simulate_panel(8_000, seed=0)
panel = read_panel(sim)          # validated: the same call takes a CSV or Parquet path
print(sim)
sim.coefficients                 # the truth"""),
    md(r"""
## Table 1: summary statistics of the regressors

The regressors are built from the panel: the firm's year $t-1$ values and the six
agglomeration counts of year $t-1$ exporters (`agg1_1` … `agg3_2`, never counting the firm).
"""),
    code("""reg = build_regressors(panel)
cols = ["export", "tfp_lag", "ln_employment_lag", "ln_wage_lag", "agg1_1", "agg1_2",
        "agg2_1", "agg2_2", "agg3_1", "agg3_2"]
table1 = {year: reg[(panel["year"] == year).to_numpy() & reg["has_lag"].to_numpy()][cols]
                 .agg(["mean", "std", "min", "max"]).T
          for year in (2001, 2007)}
pd.concat(table1, axis=1).round(3)"""),
    md(r"""
## Table 2: KS tests of first-order stochastic dominance

Four panels per year: (a) domestic vs exporters outside agglomerations, (b) the same inside,
(c) exporters outside vs inside, (d) domestic outside vs inside. The columns follow Stata's
`ksmirnov`: "H0: A > B" is $\max(F_A-F_B)$, "H0: A < B" is $\min(F_A-F_B)$; A dominates B
when the two-sided and the "A < B" nulls are rejected and "A > B" is not.
"""),
    code("""tab2 = ks_table(panel)
print(tab2)"""),
    md("## Figure 1: densities of log TFP by export status and agglomeration"),
    code("""tfp_densities(panel, 2007)"""),
    md(r"""
## Table 3: the probit of export status (province fixed effects, as the paper)

Coefficients with z-scores and marginal effects at means (fixed effects at their means)
with delta-method standard errors, for the industrial (column [1]) and ownership (column
[2]) measures of agglomeration.
"""),
    code("""fe = ["year", "industry", "province"]
col1 = probit(panel, fe=fe)                    # x: export_lag, tfp_lag, ..., agg1_1, agg1_2
col2 = probit(panel, OWNERSHIP_X, fe)
print(col1)
print(regression_table([col1, col2], ["[1] full sample", "[2] full sample"]))"""),
    md(r"""
## What the paper's specification identifies

The correctly specified probit (the entry cost's interaction `entry_agg1_1` =
(1 − export_lag) · agg1_1, county fixed effects) recovers the structural parameters; the
paper's reduced form estimates an average of the entry effect, reported beside the true
marginal effects. Look at the `agg1_2` row: its true effect is zero, but with province
instead of county effects the count of exporters in other industries of the county stands in
for the omitted county effects.
"""),
    code("""right = probit(panel, CORRECT_X, CORRECT_FE)
pd.DataFrame({"true": sim.coefficients,
              "estimate": right.coef, "s.e.": right.se}).round(4)"""),
    code("""true_margins(sim, col1).round(5)"""),
    md(r"""
## Table 7: marginal effects with one regressor at its minimum or maximum

Rows: the marginal effect of each regressor; columns: the regressor set to its sample
minimum or maximum while all others stay at their means (Table 4's ownership split).
"""),
    code("""indigenous = probit(panel, fe=fe, sample={"ownership": "indigenous"})
foreign = probit(panel, fe=fe, sample={"ownership": "foreign"})
t7 = pd.concat({"indigenous": indigenous.extremes_frame(), "foreign": foreign.extremes_frame()},
               axis=1)
t7.loc[["agg1_1", "agg1_2"]]"""),
]


# --------------------------------------------------------------------------- 06
NB6 = [
    md(r"""
# 6. A large South: the two-country equilibrium

The paper's South is small: it takes North's autarky prices. §2 remarks that a South large
enough to be "the only producer of good 2" needs "the two-country equilibrium" (Helpman and
Krugman 1985, ch. 3), and footnote 10 uses it. Here prices $p_j$ and the relative wage
$w = w_S/w_N$ are unknowns (North's wage is 1); in each country active activities pay that
country's wage and idle ones pay no more; goods markets clear under Cobb–Douglas demand,

$$L_{jN} + w\,L_{jS} = \mu_j\,(L_N + w L_S).$$

`solve_world` lists **every** world equilibrium: each regime of both countries reduces to one
polynomial equation in $w$, solved in closed form or with every root bracketed, and each
answer is re-verified independently.
"""),
    code(
        SETUP_HEAD
        + """
import numpy as np

from marshallian.errors import DegenerateEquilibriumWarning
from marshallian.solvers.world import small_south_limit, solve_world
"""
        + SETUP_TAIL
        + """

sol = solve_world("standard")          # default calibration: L_S = 200, L_N = 1000
sol"""
    ),
    md(r"""
At the default calibration North is large enough to produce both goods with a full cluster,
so prices are North's autarky prices $p = (1, 1/2)$ and South's small-South equilibria come
back, North absorbing the rest of world demand. Each equilibrium carries both allocations and
a certificate:
"""),
    code("""
e = sol[0]
print(e.prices, e.wage, e.income_gap, e.stability)
print("South:", e.activities)
print("North:", e.north_activities)
print(e.certificate)"""),
    md(r"""
## Footnote 10: the country that captures the cluster is better off

No Ricardian differences ($\lambda_{ji}=1$), equal sizes, and $1 < \mu_2/\mu_1 = 1.5 < \theta = 2$.
There are two stable specializations — South in good 2 and North in good 1, and the mirror
image — and the good-2 country earns $\mu_2/\mu_1$ times the other's wage. $\lambda = 1$ is a
knife edge, so both countries producing both goods is a *continuum* (reported with its end
points, never as one arbitrary point).
"""),
    code("""
fn10 = solve_world("standard", {"lam_2S": 1.0, "L_S": 1000.0, "L_N": 1000.0,
                                "mu_1": 0.4, "mu_2": 0.6}, warn=False)
print(fn10)
south2 = max(fn10.stable, key=lambda e: e.wage)
theta = 2.0
print("relative wage of the good-2 country:", south2.wage)
print("condition P (1/theta < p2/p1 < 1):", 1 / theta < south2.relative_price < 1)"""),
    md(r"""
## The §3 model: many more equilibria

With a backward and a modern technology in each sector, North has its own multiple equilibria
(footnote 13); in the world they combine with South's. The table lists every one; the stable
ones are those with no critical mass in either country and no knife edge.
"""),
    code("""
alt = solve_world("alternative")
print(len(alt), "world equilibria,", len(alt.stable), "stable")
alt.to_frame().query("stable")"""),
    md(r"""
## The small-South limit

Hold South's labor fixed and let North grow: $L_N = L_S/r$ for $r$ from 1 down to $10^{-4}$.
The world equilibria in which North has full clusters in every sector become the small-South
equilibria: once North produces every good at its autarky prices they coincide exactly, and
North's labor shares approach $\mu_j$ at rate $L_S/L_N$.
"""),
    code("""
lim = small_south_limit("alternative", ratios=np.logspace(0, -4, 17))
print("wages coincide for L_S/L_N <=", lim.threshold)
print("rate of North's shares (slope in logs):", round(lim.rate(), 4))
print("small-South wages:", sorted({round(e.wage, 6) for e in lim.small}))
print("world, full clusters, at r = 1e-4:",
      sorted({round(e.wage, 6) for e in lim.worlds[-1] if e.north_full_clusters}))"""),
    code("""
from marshallian.figures.world import world_limit

world_limit(ratios=np.logspace(0, -4, 17))"""),
]


NOTEBOOKS = {
    "01-standard-model.ipynb": NB1,
    "02-alternative-model.ipynb": NB2,
    "03-dynamics.ipynb": NB3,
    "04-policy.ipynb": NB4,
    "05-empirics.ipynb": NB5,
    "06-world.ipynb": NB6,
}


def build(cells) -> nbformat.NotebookNode:
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    for i, c in enumerate(nb.cells):
        c["id"] = f"cell-{i:02d}"  # stable ids: regenerating gives no diff
    return nb


def main(out_dir=HERE) -> list:
    written = []
    for name, cells in NOTEBOOKS.items():
        path = Path(out_dir) / name
        nbformat.validate(nb := build(cells))
        path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for p in main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(p)
