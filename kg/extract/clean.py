"""Text clean-up before NLP: LaTeX markup and citation strings are not topics."""

from __future__ import annotations

import re

__all__ = ["clean_text"]

_LATEX_ABBREV = {r"\eg": "e.g.", r"\ie": "i.e.", r"\etal": "et al.", r"\etc": "etc.", r"\vs": "vs."}
_LATEX_GROUP_RE = re.compile(r"\\(?:textbf|textit|emph|mathbf|mathrm|texttt|textsc|underline|mathcal|text)\s*\{([^{}]*)\}")
_LATEX_CMD_RE = re.compile(r"\\[A-Za-z]+\*?")
_MATH_RE = re.compile(r"\$[^$]{0,200}\$")
# "(Petroni et al., 2019; Jiang et al., 2020b)" and "[12, 13]"
_PAREN_CITE_RE = re.compile(r"\((?=[^()]*\b(?:19|20)\d\d[a-z]?\b)[^()]*(?:et al\.?|\band\b|&|,)[^()]*\)")
_BRACKET_CITE_RE = re.compile(r"\[\s*\d+(?:\s*[,–-]\s*\d+)*\s*\]")
# "Jiang et al. (2020)" / "Jiang et al." in running text
_INLINE_CITE_RE = re.compile(r"\b[A-Z][\w'\-]+(?:\s+(?:and|&)\s+[A-Z][\w'\-]+)?\s+et\s+al\.?(?:,?\s*\(?(?:19|20)\d\d[a-z]?\)?)?")
_URL_RE = re.compile(r"https?://\S+|www\.\S+")


def clean_text(text: str) -> str:
    """Remove LaTeX markup, citations and URLs, keeping the words they wrap.

    >>> clean_text(r"a \\textbf{I}nverted \\textbf{R}esidual block, \\eg ours")
    'a Inverted Residual block, e.g. ours'
    >>> clean_text("stored in BERT (Petroni et al., 2019; Jiang et al., 2020b). Jiang et al. showed")
    'stored in BERT . ; showed'
    """
    text = _URL_RE.sub(" ", text)
    for command, plain in _LATEX_ABBREV.items():
        text = re.sub(re.escape(command) + r"\b", plain, text)
    previous = None
    while previous != text:  # nested groups unwrap one level per pass
        previous = text
        text = _LATEX_GROUP_RE.sub(r"\1", text)
    text = _MATH_RE.sub(" ", text)
    text = _LATEX_CMD_RE.sub(" ", text)
    text = text.replace("{", "").replace("}", "")
    text = _PAREN_CITE_RE.sub(" ", text)
    text = _BRACKET_CITE_RE.sub(" ", text)
    # a removed citation still ends a phrase: leave a separator so candidates do not run across it
    text = _INLINE_CITE_RE.sub(" ; ", text)
    return re.sub(r"[ \t]+", " ", text).strip()
