"""Lazy re-exports for package __init__ files (PEP 562): a name is imported from its module when
first asked for, so importing a package costs nothing until something in it is used.

>>> import sys, types
>>> package = types.ModuleType("example")
>>> sys.modules["example"] = package
>>> package.__getattr__, package.__dir__ = lazy_exports("example", {"json": ["dumps"]})
>>> "json.decoder" in dir(package), "dumps" in dir(package)
(False, True)
>>> package.dumps([1])
'[1]'
>>> del sys.modules["example"]
"""

from __future__ import annotations

import importlib
import sys
from typing import Callable, Mapping

__all__ = ["lazy_exports"]


def lazy_exports(package: str, exports: Mapping[str, list[str]]) -> tuple[Callable, Callable]:
    """(``__getattr__``, ``__dir__``) for the package `package` that re-exports, from each module of
    `exports` (".folder", relative to the package, or absolute), the names listed with it.

    The first access imports the module and keeps the name in the package, so later ones are plain
    attribute lookups. Usage, in a package's __init__.py::

        __getattr__, __dir__ = lazy_exports(__name__, {".folder": ["BuildDir"], ".run": ["build"]})
    """
    where = {name: module for module, names in exports.items() for name in names}

    def __getattr__(name: str):
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *where})

    return __getattr__, __dir__
