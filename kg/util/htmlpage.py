"""What the project's self-contained HTML pages (the maps, changes.html) share: one autoescaped
jinja2 environment per template package, and the Content-Security-Policy hash of an inline script
or style."""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

__all__ = ["csp_hash", "templates"]


def csp_hash(text: str) -> str:
    """The CSP source that allows exactly this inline script or style: ``'sha256-…'``.

    >>> csp_hash("")
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
    """
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


@lru_cache(maxsize=None)
def templates(package: str, trim: bool = False):
    """The jinja2 environment of `package`'s ``templates`` folder: every ``{{ }}`` HTML-escaped
    unless it is Markup made by the caller, undefined names an error; `trim` strips the block tags'
    own lines and leading blanks."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=trim,
        lstrip_blocks=trim,
    )
