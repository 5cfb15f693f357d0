"""Text for LaTeX: the package's one escaper of LaTeX's special characters (result tables
of :mod:`marshallian.presentation`, the probit tables of :mod:`marshallian.empirics`)."""

from __future__ import annotations

#: LaTeX's special characters and their escapes (applied in one pass, character by character,
#: so that an escape's own braces are never escaped again).
LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\~{}",
    "^": r"\^{}",
}


def latex_escape(text: object) -> str:
    r"""Escape LaTeX's special characters in ``text`` (any value: its ``str``).

    Examples
    --------
    >>> print(latex_escape(r"a_1 & 50% {x} \ ~"))
    a\_1 \& 50\% \{x\} \textbackslash{} \~{}
    """
    return "".join(LATEX_SPECIALS.get(ch, ch) for ch in str(text))
