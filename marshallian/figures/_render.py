"""Rendering many figures without parsing the same mathtext again for every renderer.

matplotlib parses each mathtext string (pyparsing: several milliseconds a string) through
the renderer that draws it, and its parse cache is keyed by the renderer's own parser: a
figure saved by :func:`marshallian.figures.save` goes through two Agg renderers (the layout
pass and the PNG) and each parses every label, tick label and legend entry again; the
cache, 50 entries shared by every renderer of the process, overflows on a page of figures,
so the PDF's renderer parses them again too. Here the Agg renderers of one process share
one parser for each set of the settings a parse reads (the ``font.*``, ``mathtext.*`` and
``text.*`` rcParams, read when the canvas is made), whose cache is keyed as matplotlib's
(the string, the resolution, the font properties, and whatever keyword options the
renderer passes: the antialiasing since matplotlib 3.8, none before): each string is parsed
once per resolution, and what is drawn is unchanged (the PNG is the same byte for byte).
"""

from __future__ import annotations

import functools

#: Size of the shared parse cache (entries; a page of figures holds about 50 strings).
PARSE_CACHE_SIZE = 1024


def _settings() -> tuple:
    """The rcParams a mathtext parse reads (fonts, mathtext fonts, antialiasing, hinting),
    as ``(name, value)`` pairs."""
    import matplotlib

    rc = matplotlib.rcParams
    return tuple(
        (k, str(rc[k])) for k in sorted(rc) if k.startswith(("font.", "mathtext.", "text."))
    )


@functools.lru_cache(maxsize=PARSE_CACHE_SIZE)
def _parse(parser, s, dpi, prop, options: tuple):
    from matplotlib.mathtext import MathTextParser

    # the keyword options as the caller gave them: matplotlib 3.7's parse takes none
    # (3.8 added ``antialiased``)
    return MathTextParser.parse(parser, s, dpi, prop, **dict(options))


@functools.cache
def _shared_parser_class():
    from matplotlib.mathtext import MathTextParser

    class SharedMathTextParser(MathTextParser):
        """A :class:`~matplotlib.mathtext.MathTextParser` whose results are kept in a cache
        of :data:`PARSE_CACHE_SIZE` entries (one instance per output type and settings, see
        :func:`shared_parser`)."""

        def parse(self, s, dpi=72, prop=None, **options):
            # FontProperties is mutable: the key holds a copy (as matplotlib's own cache)
            key = tuple(sorted(options.items()))
            return _parse(self, s, dpi, None if prop is None else prop.copy(), key)

    return SharedMathTextParser


@functools.lru_cache(maxsize=8)
def shared_parser(output: str, settings: tuple):
    """The shared mathtext parser of one output type (``"path"`` or ``"agg"``) under the
    rcParams ``settings`` (:func:`_settings`)."""
    return _shared_parser_class()(output)


#: matplotlib's output types of a parser (its private ``_output_type``) -> the name
#: :class:`~matplotlib.mathtext.MathTextParser` takes.
_OUTPUTS = {"vector": "path", "raster": "agg"}


def share_mathtext(renderer, settings: tuple):
    """Give ``renderer`` the shared parser of its output type (in place; returned).

    A renderer without a parser matplotlib's way (another backend, another version) is
    left as it is: it then parses as matplotlib does.
    """
    from matplotlib.mathtext import MathTextParser

    parser = getattr(renderer, "mathtext_parser", None)
    output = _OUTPUTS.get(str(getattr(parser, "_output_type", "")))
    if output is not None and type(parser) is MathTextParser:
        renderer.mathtext_parser = shared_parser(output, settings)
    return renderer


@functools.cache
def canvas_class():
    """An Agg canvas whose renderers share the mathtext parser (:func:`share_mathtext`)
    of the settings in force when the canvas is made."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    class SharedTextCanvasAgg(FigureCanvasAgg):
        def __init__(self, figure=None):
            super().__init__(figure)
            self._mathtext_settings = _settings()

        def get_renderer(self):
            return share_mathtext(super().get_renderer(), self._mathtext_settings)

    return SharedTextCanvasAgg
