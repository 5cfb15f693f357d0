"""House style and the one way figures are created and saved.

Figures are plain :class:`matplotlib.figure.Figure` objects (no ``pyplot`` state), drawn
under :data:`STYLE` and rendered by the Agg backend; :func:`save` writes every requested
format atomically (rendered in memory, then :func:`marshallian._files.atomic_write`),
so an interrupted run never leaves a half-written image.
"""

from __future__ import annotations

import contextlib
import functools
import io
from pathlib import Path
from typing import Any

#: Matplotlib settings used for every figure (publication quality, readable when printed).
STYLE: dict[Any, Any] = {
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.05,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 8.5,
    "legend.framealpha": 0.92,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "lines.linewidth": 1.8,
    "mathtext.fontset": "cm",
    "pdf.fonttype": 42,
    "svg.fonttype": "none",
    "svg.hashsalt": "marshallian",
    "path.simplify": True,
}

#: Output formats understood by :func:`save`.
FORMATS = ("png", "pdf", "svg")

#: Colours shared across figures (colour-blind safe, Okabe-Ito).
COLORS = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "red": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "grey": "#7F7F7F",
    "black": "#000000",
}


def figure_function(fn):
    """Decorator: run ``fn`` under :data:`STYLE`; it must return a Figure."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        import matplotlib

        with matplotlib.rc_context(STYLE):
            fig = fn(*args, **kwargs)
        return fig

    return wrapper


def new_figure(width: float = 6.4, height: float = 4.2, **kwargs):
    """A new :class:`~matplotlib.figure.Figure` (constrained layout), not tied to pyplot."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained", **kwargs)


def save(fig, out_dir, name: str, formats=("png", "pdf")) -> list:
    """Write ``fig`` as ``out_dir/name.<fmt>`` for each format, atomically.

    Returns
    -------
    list of Path
        The files written, in the order of ``formats``.

    Examples
    --------
    >>> import tempfile
    >>> import matplotlib.pyplot as plt
    >>> from marshallian.figures import save
    >>> fig, ax = plt.subplots()
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in save(fig, tmp, "example", formats=("png",))]
    ['example.png']
    >>> plt.close(fig)
    """
    import logging

    import matplotlib

    from .._files import atomic_write

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # font-subsetting chatter
    for fmt in formats:
        if fmt not in FORMATS:
            raise ValueError(f"format {fmt!r}: must be one of {', '.join(FORMATS)}")
    out = []
    with matplotlib.rc_context(STYLE), _laid_out(fig) as bbox:
        for fmt in formats:
            buf = io.BytesIO()
            meta: dict[str, str | None] = {"Creator": "marshallian"}
            if fmt == "pdf":
                meta["CreationDate"] = None  # reproducible bytes from run to run
            fig.savefig(buf, format=fmt, metadata=meta, bbox_inches=bbox)
            out.append(atomic_write(Path(out_dir) / f"{name}.{fmt}", buf.getvalue()))
    return out


@contextlib.contextmanager
def _laid_out(fig):
    """Lay ``fig`` out once, at the saving resolution, for every format it is saved in.

    Left alone, each ``savefig`` draws the figure twice (once, without output, to find the
    tight bounding box) and runs the layout engine on each draw. Here the figure is laid
    out and measured once at ``savefig.dpi``, its layout kept while saving (the figure has
    no engine meanwhile; it is put back afterwards) and the padded tight box passed to
    every ``savefig``: the PNG is the same, byte for byte, and each format costs one draw.
    The layout pass and the PNG are drawn through one canvas whose renderers share their
    mathtext parses (:mod:`._render`).
    """
    import matplotlib

    from ._render import canvas_class

    engine, canvas, dpi = fig.get_layout_engine(), fig.canvas, fig.dpi
    laid_out = False
    try:
        if matplotlib.rcParams["savefig.dpi"] != "figure":
            fig.dpi = matplotlib.rcParams["savefig.dpi"]
        # the figure's canvas until the end: the PNG is drawn through it too, so its
        # renderer shares the layout pass's mathtext parses (:mod:`._render`)
        renderer = canvas_class()(fig).get_renderer()
        # as savefig finds a tight box: artists laid out and measured, nothing rasterized
        with getattr(renderer, "_draw_disabled", contextlib.nullcontext)():
            fig.draw(renderer)
        bbox = fig.get_tightbbox(renderer).padded(matplotlib.rcParams["savefig.pad_inches"])
        fig.dpi = dpi
        if engine is not None:
            # no engine at all while saving ("none" would leave a placeholder engine,
            # and savefig draws a figure with an engine once more, without output)
            with matplotlib.rc_context(
                {"figure.autolayout": False, "figure.constrained_layout.use": False}
            ):
                fig.set_layout_engine(None)
            laid_out = True
        yield bbox
    finally:
        fig.dpi = dpi
        fig.set_canvas(canvas)
        if laid_out:
            fig.set_layout_engine(engine)
