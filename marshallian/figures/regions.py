"""Region maps: which stable equilibria exist over comparative advantage and θ.

The plane is spanned by South's comparative advantage in good 1,

.. math::

    x \\equiv \\frac{\\lambda_{1S}/\\lambda_{1N}}{\\lambda_{2S}/\\lambda_{2N}},

(moved through :math:`\\lambda_{1S}`, the other :math:`\\lambda_{ji}` at their calibrated
values) and the clustering benefit of the sector: :math:`\\theta=1+\\alpha\\bar L` in §2
(moved through :math:`\\alpha`), :math:`\\theta_1=\\beta+\\alpha\\bar L_1` in §3–§4 (moved
through :math:`\\bar L_1`). Every grid point is solved with the package's engine and
coloured by the set of its stable equilibria; the paper's analytic boundaries are drawn
on top, so agreement is visible:

* §2 (claims S2, S3): spec. in 1 iff :math:`x>1/\\theta`; spec. in 2 iff CA, :math:`x<1`.
* §3 (claim A3, condition (*)): spec. in 2 with a cluster iff :math:`x<\\theta_1`; the
  paper's simplifying assumption (A9) fails where :math:`x<\\theta_1/\\theta_2`; by the
  mirror argument spec. in 1 with a cluster needs :math:`x>1/\\theta_2`.
* §4 (claim D4): (*) becomes :math:`x<\\theta_1/\\hat a` with :math:`\\hat a=1-g/\\varepsilon`;
  the no-cluster boundaries keep :math:`\\theta_1/\\theta_2`, the mirror one is
  :math:`x>\\hat a/\\theta_2`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ._labels import MODEL_TITLES, calibration_note, stable_types
from ._style import COLORS, figure_function, new_figure

if TYPE_CHECKING:
    import numpy as np

#: Default range of the comparative-advantage ratio x (log scale) and of θ.
X_RANGE = (0.2, 5.0)
THETA_RANGE = (1.05, 4.0)
#: Default grid (points along x, along θ): 240,000 points, fine enough for smooth
#: boundaries at print size (the vectorised sweep classifies them in about a second).
GRID = (600, 400)


@dataclass(frozen=True)
class RegionGrid:
    """Stable-equilibrium sets on a grid (rows: θ values, columns: x values).

    Attributes
    ----------
    model : str
    x, theta : numpy.ndarray
        Grid axes.
    types : tuple of frozenset
        Distinct sets of stable equilibria found; ``index`` points into it.
    index : numpy.ndarray
        ``(len(theta), len(x))`` integer array; -1 where the parameters are invalid.
    base : dict
        The calibration the grid varies around.
    method : str
        How the grid was computed: ``"solve"`` (one exact enumeration per point) or
        ``"sweep"`` (vectorised derived conditions), ``"+solve(n)"`` when n points near a
        boundary were solved exactly.
    """

    model: str
    x: np.ndarray
    theta: np.ndarray
    types: tuple
    index: np.ndarray
    base: dict
    method: str

    def to_dict(self) -> dict:
        return {
            "model": self.model,
            "method": self.method,
            "x": [float(v) for v in self.x],
            "theta": [float(v) for v in self.theta],
            "types": [sorted(t) for t in self.types],
            "index": self.index.tolist(),
            "base": dict(self.base),
        }


def point_params(model, base: dict, x: float, theta: float) -> dict:
    """Parameters at one point of the plane (see module docstring for the mapping)."""
    p = dict(base)
    p["lam_1S"] = x * p["lam_1N"] * p["lam_2S"] / p["lam_2N"]
    if model.name == "standard":
        p["alpha"] = (theta - 1.0) / p["Lbar"]
    else:
        p["Lbar_1"] = (theta - p["beta"]) / p["alpha"]
    return p


def compute_regions(
    model="alternative",
    params=None,
    *,
    x_range: tuple[float, float] = X_RANGE,
    theta_range: tuple[float, float] = THETA_RANGE,
    grid=GRID,
    method="auto",
) -> RegionGrid:
    """Which stable equilibria exist at every point of a (log x) × θ grid.

    Parameters
    ----------
    model : str or Model
        ``"standard"``, ``"alternative"`` or ``"dynamic"``.
    params : mapping, optional
        Calibration around which the grid varies (defaults otherwise).
    x_range, theta_range : (float, float)
    grid : (int, int)
        Points along x and along θ.
    method : {"auto", "sweep", "solve"}
        ``sweep``: the vectorised sweep over the derived conditions
        (:func:`marshallian.sweep.sweep`); points it flags as near a boundary, or where
        its premise (North's full clusters) fails, are solved exactly. ``solve``: one
        exact enumeration per point. ``auto``: ``sweep`` when installed.
    """
    import numpy as np

    from ..solvers import resolve_model, resolve_params

    model = resolve_model(model)
    base = resolve_params(model, params).as_dict()
    xs = np.geomspace(*x_range, grid[0])
    ths = np.linspace(*theta_range, grid[1])
    if method not in ("auto", "sweep", "solve"):
        from ..errors import InvalidParameterError, Violation

        raise InvalidParameterError(Violation("method", method, "must be auto, sweep or solve"))
    auto = method == "auto"
    if method in ("auto", "sweep"):
        try:
            from .. import sweep as _sweep_module  # noqa: F401
        except ModuleNotFoundError as exc:
            if exc.name != "marshallian.sweep" or method == "sweep":
                raise
            method = "solve"
        else:
            method = "sweep"
    keys: dict = {}
    index = np.full((len(ths), len(xs)), -1, dtype=int)
    todo = [(i, k) for i in range(len(ths)) for k in range(len(xs))]
    if method == "sweep":
        try:
            todo = _fill_by_sweep(model, base, xs, ths, keys, index)
        except Exception as exc:
            if not auto:
                raise
            # the sweep is another module: if it fails, say so on the figure, solve instead
            method = f"solve (sweep failed: {type(exc).__name__}: {str(exc)[:80]})"
            keys.clear()
            index[:] = -1
    _fill_by_solve(model, base, xs, ths, keys, index, todo)
    return RegionGrid(
        model.name,
        xs,
        ths,
        tuple(keys),
        index,
        base,
        method + (f"+solve({len(todo)})" if method == "sweep" and todo else ""),
    )


def _fill_by_sweep(model, base, xs, ths, keys, index) -> list:
    """Classify the grid with the sweep; return the points left to solve exactly."""
    import numpy as np

    from ..sweep import sweep
    from ._labels import type_label

    X, T = np.meshgrid(xs, ths)  # rows: theta, columns: x
    full = point_params(model, base, X.ravel(), T.ravel())  # vectorised over the grid
    pts = {
        name: full[name] for name in ("lam_1S", "alpha" if model.name == "standard" else "Lbar_1")
    }
    fixed = {k: v for k, v in base.items() if k not in pts}
    res = sweep(model, points=pts, fixed=fixed, validate=False)
    stable_names = [type_label(t, model) if st else None for t, st in zip(res.types, res.stable)]
    exists = res.exists & res.stable[None, :]
    # only the stable types colour the map: a point is solved exactly when one of them is
    # undecided there (near its boundary, or without a closed form), or off the premise
    undecided = (res.near_boundary & res.stable[None, :]).any(axis=-1) | ~res.applies
    # one code per set of existing stable types: equal codes, equal regions
    codes = exists.astype(np.int64) @ (np.int64(1) << np.arange(exists.shape[1], dtype=np.int64))
    codes = np.where(undecided, -1, codes)
    found, inverse = np.unique(codes, return_inverse=True)
    flat = index.reshape(-1)
    for c, code in enumerate(found):
        if code < 0:
            continue
        key = frozenset(stable_names[t] for t in range(exists.shape[1]) if (int(code) >> t) & 1)
        flat[inverse == c] = keys.setdefault(key, len(keys))
    return [tuple(divmod(int(n), len(xs))) for n in np.flatnonzero(undecided)]


def _fill_by_solve(model, base, xs, ths, keys, index, todo) -> None:
    from ..errors import DegenerateEquilibriumWarning, InvalidParameterError
    from ..solvers import solve

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateEquilibriumWarning)
        for i, k in todo:
            try:
                p = model.params(point_params(model, base, float(xs[k]), float(ths[i])))
            except InvalidParameterError:
                continue
            key = stable_types(solve(model, p, warn=False))
            index[i, k] = keys.setdefault(key, len(keys))


def analytic_boundaries(model_name: str, base: dict) -> list:
    """The paper's boundaries as ``(label, f(theta) -> x, style)`` (lines x = f(θ))."""
    if model_name == "standard":
        return [
            (r"$x = 1/\theta$: specialization in 1 to the right", lambda t: 1.0 / t, "-"),
            (r"CA, $x = 1$: specialization in 2 to the left", lambda t: 1.0 + 0.0 * t, "--"),
        ]
    theta2 = base["beta"] + base["alpha"] * base["Lbar_2"]
    if model_name == "alternative":
        return [
            (r"(*), $x = \theta_1$: spec. in 2 with a cluster to the left", lambda t: t, "-"),
            (
                rf"$x = \theta_1/\theta_2$ ($\theta_2 = {theta2:.3g}$): the paper's "
                "simplifying"
                "\n"
                "assumption fails to the left (spec. in 2, no cluster)",
                lambda t: t / theta2,
                "--",
            ),
            (
                r"$x = 1/\theta_2$: spec. in 1 with a cluster to the right",
                lambda t: 1.0 / theta2 + 0.0 * t,
                ":",
            ),
        ]
    ahat = 1.0 - base["g"] / base["eps"]
    return [
        (
            rf"(*) in §4, $x = \theta_1/\hat a$ ($\hat a = {ahat:.3g}$): spec. in 2 with a "
            "cluster"
            "\n"
            "to the left",
            lambda t: t / ahat,
            "-",
        ),
        (r"(*) in §3, $x = \theta_1$, for comparison", lambda t: t, (0, (1, 3))),
        (
            r"$x = \theta_1/\theta_2$: spec. in 2 without a cluster to the left",
            lambda t: t / theta2,
            "--",
        ),
        (
            r"$x = \hat a/\theta_2$: spec. in 1 with a cluster to the right",
            lambda t: ahat / theta2 + 0.0 * t,
            ":",
        ),
    ]


_PALETTE = (
    "#cfe3f3",
    "#fbe3b4",
    "#c8eadf",
    "#f6cdb8",
    "#ead1e3",
    "#fdf6b5",
    "#dddddd",
    "#b8d6ee",
    "#f3c88c",
    "#a9dcc9",
)
_METHOD_TEXT = {
    "solve": "every point solved by exact regime enumeration (solve)",
    "sweep": "vectorised sweep over the derived conditions (marshallian.sweep)",
}
#: Parameters the map moves (their calibrated values are not those of the plane).
_AXIS_PARAMETERS = {"standard": ("lam_1S", "alpha")}
_THETA_LABEL = {"standard": r"$\theta = 1+\alpha\bar L$"}


def _method_text(method: str) -> str:
    if method.startswith("solve ("):
        return _METHOD_TEXT["solve"] + " " + method[len("solve ") :]
    head, _, rest = method.partition("+")
    text = _METHOD_TEXT.get(head, head)
    if rest:
        text += f"; {rest.removeprefix('solve(').rstrip(')')} points near a boundary solved exactly"
    return text


def _type_text(t: frozenset) -> str:
    return "; ".join(sorted(t)) if t else "no stable equilibrium"


@figure_function
def region_map(
    model="alternative",
    params=None,
    *,
    regions=None,
    x_range=X_RANGE,
    theta_range=THETA_RANGE,
    grid=GRID,
    method="auto",
):
    """Map of the stable equilibria over (x, θ) with the paper's boundaries on top.

    Parameters
    ----------
    model : str
        ``"standard"``, ``"alternative"`` or ``"dynamic"``.
    params : mapping, optional
        Calibration around which the grid varies.
    regions : RegionGrid, optional
        A grid already computed by :func:`compute_regions`.
    x_range, theta_range, grid, method
        Passed to :func:`compute_regions` when ``regions`` is not given.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    rg = regions or compute_regions(
        model, params, x_range=x_range, theta_range=theta_range, grid=grid, method=method
    )
    name = rg.model
    # colour each set; order the legend by how much of the plane it covers
    counts = np.bincount(rg.index[rg.index >= 0].ravel(), minlength=len(rg.types))
    order = sorted(range(len(rg.types)), key=lambda i: (-counts[i], _type_text(rg.types[i])))
    colour_of = {i: _PALETTE[n % len(_PALETTE)] for n, i in enumerate(order)}
    cmap = ListedColormap(["white"] + [colour_of[i] for i in range(len(rg.types))])
    fig = new_figure(7.4, 6.0)
    ax = fig.add_subplot()
    x, th = rg.x, rg.theta
    # cell edges (geometric in x, linear in theta)
    xe = np.sqrt(x[:-1] * x[1:])
    xe = np.concatenate([[x[0] ** 2 / xe[0]], xe, [x[-1] ** 2 / xe[-1]]])
    te = (th[:-1] + th[1:]) / 2
    te = np.concatenate([[2 * th[0] - te[0]], te, [2 * th[-1] - te[-1]]])
    ax.pcolormesh(
        xe,
        te,
        rg.index + 1,
        cmap=cmap,
        vmin=0,
        vmax=len(rg.types),
        shading="flat",
        rasterized=True,
        antialiased=False,
        linewidth=0,
    )
    ax.set_xscale("log")
    ax.set_xlim(xe[0], xe[-1])
    tt = np.linspace(te[0], te[-1], 200)
    line_handles = []
    for label, f, style in analytic_boundaries(name, rg.base):
        xb = f(tt)
        if not ((xb >= xe[0]) & (xb <= xe[-1])).any():
            continue  # outside the plotted range
        (h,) = ax.plot(xb, tt, color=COLORS["black"], ls=style, lw=1.4, label=label)
        line_handles.append(h)
    ax.set_xlim(xe[0], xe[-1])
    ax.set_ylim(te[0], te[-1])
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

    ticks = [t for t in (0.1, 0.2, 0.5, 1, 2, 5, 10) if xe[0] <= t <= xe[-1]]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(
        r"South's comparative advantage in good 1, "
        r"$x = (\lambda_{1S}/\lambda_{1N})\,/\,(\lambda_{2S}/\lambda_{2N})$ "
        "(ratio, log scale)"
    )
    ax.set_ylabel(
        _THETA_LABEL.get(name, r"$\theta_1 = \beta+\alpha\bar L_1$")
        + " (productivity of a full cluster, ratio)"
    )
    from ..models import get_model

    note = calibration_note(
        get_model(name).params(
            {
                k: v
                for k, v in rg.base.items()
                if k not in _AXIS_PARAMETERS.get(name, ("lam_1S", "Lbar_1"))
            }
        )
    )
    ax.set_title(
        f"{MODEL_TITLES.get(name, name)}: which stable equilibria exist\nother parameters at the {note}",
        loc="left",
    )
    ax.text(
        1.0,
        -0.13,
        f"{len(x)}×{len(th)} grid; " + _method_text(rg.method),
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=7.5,
        color="0.35",
    )
    patches = [
        Patch(facecolor=colour_of[i], edgecolor="0.5", lw=0.5, label=_type_text(rg.types[i]))
        for i in order
    ]
    if (rg.index < 0).any():
        patches.append(
            Patch(facecolor="white", edgecolor="0.5", lw=0.5, label="invalid parameters")
        )
    for handles, title, loc in (
        (patches, "stable equilibria that exist (computed)", "outside lower left"),
        (line_handles, "the paper's conditions", "outside lower right"),
    ):
        legend = fig.legend(handles=handles, title=title, loc=loc, fontsize=8, title_fontsize=8.5)
        legend._legend_box.align = "left"
    return fig
