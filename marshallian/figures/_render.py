"""Rendering many figures without parsing the same mathtext again for every renderer.

matplotlib parses each mathtext string (pyparsing: several milliseconds a string) through
the renderer that draws it, and its parse cache is keyed by the renderer's own parser: a
figure saved by :func:`marshallian.figures.save` goes through two Agg renderers (the layout
pass and the PNG) and each parses every label, tick label and legend entry again; the
cache, 50 entries shared by every renderer of the process, overflows on a page of figures,
so the PDF's renderer parses them again too. Here the Agg renderers of one process share
one parser whose cache is keyed by everything a parse reads (the string, the resolution,
the font properties, the antialiasing asked for, and the ``text.*`` and ``mathtext.*``
settings), so each string is parsed once per resolution; what is drawn is unchanged (the
PNG is the same byte for byte).
"""

from __future__ import annotations

import functools

#: Size of the shared parse cache (entries; a page of figures holds about 50 strings).
PARSE_CACHE_SIZE = 1024


@functools.cache
def _rc_keys() -> tuple:
    """The settings a mathtext parse reads: fonts (``mathtext.*``), antialiasing, hinting."""
    import matplotlib

    return tuple(
        k
        for k in matplotlib.rcParams
        if k.startswith(("mathtext.", "text.antialiased", "text.hinting"))
    )


@functools.lru_cache(maxsize=PARSE_CACHE_SIZE)
def _parse(parser, s, dpi, prop, antialiased, settings):
    """One parse; ``settings`` (the values of :func:`_rc_keys`) only keys the cache."""
    from matplotlib.mathtext import MathTextParser

    return MathTextParser.parse(parser, s, dpi, prop, antialiased=antialiased)


@functools.cache
def _shared_parser_class():
    from matplotlib.mathtext import MathTextParser

    class SharedMathTextParser(MathTextParser):
        """A :class:`~matplotlib.mathtext.MathTextParser` whose results are kept in
        :func:`_parse`'s cache (one instance per output type, see :func:`shared_parser`)."""

        def parse(self, s, dpi=72, prop=None, *, antialiased=None):
            import matplotlib

            rc = matplotlib.rcParams
            settings = tuple(rc[k] for k in _rc_keys())
            # FontProperties is mutable: the key holds a copy (as matplotlib's own cache)
            return _parse(
                self, s, dpi, None if prop is None else prop.copy(), antialiased, settings
            )

    return SharedMathTextParser


@functools.cache
def shared_parser(output: str):
    """The process's shared mathtext parser of one output type (``"path"`` or ``"agg"``)."""
    return _shared_parser_class()(output)


#: matplotlib's output types of a parser (its private ``_output_type``) -> the name
#: :class:`~matplotlib.mathtext.MathTextParser` takes.
_OUTPUTS = {"vector": "path", "raster": "agg"}


def share_mathtext(renderer):
    """Give ``renderer`` the shared parser of its output type (in place; returned).

    A renderer without a parser matplotlib's way (another backend, another version) is
    left as it is: it then parses as matplotlib does.
    """
    from matplotlib.mathtext import MathTextParser

    parser = getattr(renderer, "mathtext_parser", None)
    output = _OUTPUTS.get(str(getattr(parser, "_output_type", "")))
    if output is not None and type(parser) is MathTextParser:
        renderer.mathtext_parser = shared_parser(output)
    return renderer


@functools.cache
def canvas_class():
    """An Agg canvas whose renderers share the mathtext parser (:func:`share_mathtext`)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    class SharedTextCanvasAgg(FigureCanvasAgg):
        def get_renderer(self):
            return share_mathtext(super().get_renderer())

    return SharedTextCanvasAgg
