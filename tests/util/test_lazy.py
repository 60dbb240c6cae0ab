"""Lazy package re-exports (PEP 562): every name a package lists resolves, and subpackages stay
packages (kg.build is the package; its stage function is kg.build.build)."""

from __future__ import annotations

import importlib
import subprocess
import sys
import types

import pytest

PACKAGES = ["kg", "kg.build", "kg.export", "kg.extract", "kg.load", "kg.resolve", "kg.sparql", "kg.viz"]


@pytest.mark.parametrize("name", PACKAGES)
def test_every_listed_name_resolves(name):
    package = importlib.import_module(name)
    for attr in package.__all__:
        value = getattr(package, attr)
        # a name that is also a submodule's would give the module once that is imported
        assert value is not None and not isinstance(value, types.ModuleType), f"{name}.{attr}"
        assert attr in dir(package)
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        package.nope  # noqa: B018


def test_build_and_resolve_are_packages_and_their_functions_are_inside():
    import kg
    import kg.build.store
    import kg.resolve.corpus
    from kg.build import build
    from kg.resolve import resolve

    assert isinstance(kg.build, types.ModuleType) and isinstance(kg.resolve, types.ModuleType)
    assert kg.build.store.__name__ == "kg.build.store" and kg.resolve.corpus.__name__ == "kg.resolve.corpus"
    assert build is kg.build.build and build.__module__ == "kg.build.run"
    assert resolve is kg.resolve.resolve and resolve.__module__ == "kg.resolve.corpus"


def test_importing_kg_loads_no_stage():
    code = ("import sys, kg; print(sorted(m for m in sys.modules if m.startswith('kg.')), "
            "[m for m in ('spacy', 'pyoxigraph', 'networkx', 'numpy') if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "['kg.util', 'kg.util.lazy'] []"
