"""An interactive explorer for lectures: one self-contained HTML page (``marshallian explore``).

The page solves the §2 and §3 models in the browser with JavaScript *generated* from the
package's symbolic regime solver (:mod:`marshallian.solvers.jscode`): no server, no
kernel, no network at view time. It exposes ``window.marshallian.solve(model, params)``,
which returns the same equilibria as :func:`marshallian.solve` (``to_dict()["equilibria"]``),
and draws the PPF of Fig. 1 with the world price lines, the list of equilibria (wage,
income gap, stability), the region map over comparative advantage and θ₁, and the derived
existence conditions.

Examples
--------
>>> from marshallian.explore import check_model, write_page
>>> check_model("alternative")        # the models the page covers: standard, alternative
'alternative'

``write_page("explore.html", "alternative")`` writes the page (a few seconds: the symbolic
derivations run once per process).
"""

from __future__ import annotations

from pathlib import Path

from .. import __version__

#: Models the explorer covers (§2 and §3; the §4 steady states need North's learning).
EXPLORE_MODELS = ("standard", "alternative")

_HERE = Path(__file__).parent


def _resource(name: str) -> str:
    return (_HERE / name).read_text(encoding="utf-8")


def check_model(model: str) -> str:
    """``model`` if the explorer covers it, else :class:`~marshallian.errors.InvalidParameterError`."""
    if model not in EXPLORE_MODELS:
        from ..errors import InvalidParameterError, Violation

        raise InvalidParameterError(
            Violation("--model", model, f"must be one of {', '.join(EXPLORE_MODELS)}")
        )
    return model


def _solver(cache: bool | None = None) -> str:
    """The generated solver (:func:`marshallian.solvers.jscode.solver_js`) through the
    on-disk cache (:mod:`marshallian.cache`: signed, keyed by the package's source), so
    only the first page of a version pays for the symbolic derivations."""
    import hashlib

    from ..cache import cached_source, package_digest
    from ..solvers.jscode import solver_js

    digest = hashlib.sha256(f"explore|{package_digest()}|{EXPLORE_MODELS}".encode()).hexdigest()
    return cached_source("explore", digest, lambda: solver_js(EXPLORE_MODELS), cache)


def build_page(model: str = "standard", *, cache: bool | None = None) -> str:
    """The explorer page as one HTML string (inline CSS and JavaScript).

    Parameters
    ----------
    model : {"standard", "alternative"}
        The model shown when the page opens; both are in the page.
    cache : bool, optional
        Use the on-disk cache for the generated solver (default: unless
        ``MARSHALLIAN_NO_CACHE`` is set).

    Returns
    -------
    str
        A complete HTML document; it loads nothing from the network.

    Examples
    --------
    >>> from marshallian.explore import build_page
    >>> page = build_page("alternative")
    >>> page.startswith("<!DOCTYPE html>"), "<script" in page
    (True, True)
    """
    import json

    check_model(model)
    script = "\n".join(
        [
            f"const INITIAL_MODEL = {json.dumps(model)};",
            _solver(cache),
            _resource("runtime.js"),
            _resource("page.js"),
        ]
    )
    # inside <script>, "</" could close the element: it only occurs in strings, so escape it
    script = script.replace("</", "<\\/")
    page = _resource("page.html")
    return (
        page.replace("/*CSS*/", _resource("page.css"))
        .replace("/*VERSION*/", __version__)
        .replace("/*SCRIPT*/", script)
    )


def write_page(path, model: str = "standard", *, cache: bool | None = None) -> Path:
    """Write :func:`build_page` to ``path`` atomically; return the path.

    Examples
    --------
    >>> import os, tempfile
    >>> from marshallian.explore import write_page
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_page(os.path.join(tmp, "explore.html")).name
    'explore.html'
    """
    from .._files import atomic_write

    check_model(model)
    return atomic_write(path, build_page(model, cache=cache))


def report_section(out_dir) -> list:
    """Markdown lines for the report, after writing the page next to it as ``explore.html``.

    If the page cannot be written the section says why (as the report's other sections).

    Examples
    --------
    >>> import tempfile
    >>> from marshallian.explore import report_section
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     report_section(tmp)[0]
    '## 6. Interactive explorer'
    """
    head = ["## 6. Interactive explorer", ""]
    try:
        write_page(Path(out_dir) / "explore.html", "standard")
    except OSError as exc:  # the report goes on: this section says why the page is missing
        return head + [f"> section not available: {type(exc).__name__}: {exc}", ""]
    return head + [
        (
            "[explore.html](explore.html) — one self-contained page (open it in a browser; it "
            "works offline): sliders for every parameter of the §2 and §3 models, the PPF of "
            "Fig. 1 with the world price lines, every equilibrium with its wage, income gap and "
            "stability, the region map over comparative advantage and θ₁, and the derived "
            "conditions, all solved in the page by JavaScript generated from the package's "
            "closed forms (`marshallian explore --out FILE.html` writes it alone)."
        ),
        "",
    ]


__all__ = ["EXPLORE_MODELS", "build_page", "report_section", "write_page"]
