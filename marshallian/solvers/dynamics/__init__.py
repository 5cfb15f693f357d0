"""§4 dynamics: the law of motion of :math:`A_{jit}`, closed-form paths and their integration.

The law of motion (Rodríguez-Clare 2007, §4; ``docs/models.md`` §4)
-------------------------------------------------------------------
For country :math:`i` (other country :math:`k`) and sector :math:`j`,

.. math::

    \\frac{\\dot A_{jit}}{A_{jit}} = \\frac{g}{\\bar L_j}\\min(\\bar L_j, L_{jiM})
        + \\varepsilon\\,(1-a_{jit}), \\qquad a_{jit}=\\min\\{A_{jit}/A_{jkt},\\,1\\},
    \\qquad \\varepsilon>g>0 .

The first term is learning by doing (modern labor :math:`L_{jiM}` only); the second is
international spillovers: the follower (:math:`a<1`) grows faster the further behind it
is ("benefits of backwardness"), the leader gets nothing (:math:`a=1`).

**The typo.** The paper prints :math:`a_{jit}=\\max\\{A_{jit}/A_{jkt},1\\}`. With ``max``
the follower has :math:`a=1` and gets no spillover at all, while the leader has
:math:`a>1` and a *negative* spillover :math:`\\varepsilon(1-a)<0`: knowledge would flow
out of the leader and lower its growth, and its productivity would *fall* outright when
:math:`A_{jN}/A_{jS}>1+g/\\varepsilon`. That contradicts the paper's own text just above
(:math:`\\dot A_{jSt}=\\varepsilon(1-a_{jSt})A_{jSt}` with :math:`a_{jSt}=A_{jSt}/A_{jNt}<1`,
steady state :math:`g=\\varepsilon(1-\\hat a)`), so the intended operator is ``min``. This
module uses ``min``; ``law="max"`` exists only to demonstrate what the printed formula
would do (claim D6).

Relative productivity
---------------------
With :math:`h_{ji}=(g/\\bar L_j)\\min(\\bar L_j,L_{jiM})` and the learning deficit
:math:`d_j=h_{jN}-h_{jS}`, :math:`a=A_{jS}/A_{jN}` obeys (law ``min``)

.. math::

    a\\le1:\\ \\dot a = a\\,(r-\\varepsilon a),\\ r=\\varepsilon-d \\quad\\text{(logistic)};
    \\qquad a\\ge1:\\ \\dot a=\\varepsilon-k\\,a,\\ k=\\varepsilon+d \\quad\\text{(linear)},

and with ``max`` the two pieces swap sides of 1. Both are solved by SymPy's ``dsolve``
(:func:`~.law.closed_form_expressions`), compiled once with ``lambdify`` and evaluated
vectorized (:func:`relative_productivity`); a path that crosses :math:`a=1` is glued at
the crossing time, itself a closed form. Steady states: without a South cluster
(:math:`d=g`) :math:`\\hat a=1-g/\\varepsilon`; with a partial one
:math:`1-(g/\\varepsilon)(1-m/\\bar L_j)`; with a full one :math:`a\\to1`.

The general path (:func:`integrate`) integrates the full two-country system in
:math:`\\log A_{jit}` (both countries, every sector) with :func:`scipy.integrate.solve_ivp`
under a piecewise-constant labor :class:`Phase` schedule, restarting at each phase start
and at each crossing of :math:`A_{jS}=A_{jN}` (where the law has a kink).

Income gap along a path: world prices are North's,
:math:`p_{jt}=1/(\\varphi_{jN}A_{jNt})` (:math:`\\varphi_{jN}=\\lambda_{jN}\\theta_j` with
North's full clusters), North's wage is 1, so South's wage when all its labor is in
activity :math:`(J,t)` is :math:`w_S=p_{Jt}\\lambda_{JS}A_{JSt}q_t=\\lambda_{JS}q_t
a_J(t)/\\varphi_{JN}` (:math:`q_t=\\theta_J` modern full cluster, 1 backward) and the gap
is :math:`1/w_S`: it tends to :math:`\\lambda_{JN}/\\lambda_{JS}` with a full modern
cluster and to :math:`(\\theta_J/\\hat a)(\\lambda_{JN}/\\lambda_{JS})` backward.

Modules
-------
:mod:`.law`
    The law of motion, its closed-form solution and the numerical constants.
:mod:`.integration`
    :class:`Phase` (a labor schedule's pieces), :func:`integrate` and :class:`Trajectory`.
:mod:`.paths`
    :func:`path` (what ``marshallian paths`` computes), :class:`Path` and its certificate.

Imports run one way, ``law`` <- ``integration`` <- ``paths``; this package re-exports their
public names.
"""

from __future__ import annotations

from . import law
from .integration import Phase, Trajectory, integrate
from .law import *  # noqa: F403  (law.__all__: the law of motion and its constants)
from .paths import DeviationFlag, Path, PathCertificate, path

__all__ = [
    *law.__all__,
    "DeviationFlag",
    "Path",
    "PathCertificate",
    "Phase",
    "Trajectory",
    "integrate",
    "path",
]
