"""Names of known tasks, methods, datasets and metrics, and the key under which spellings of one
entity meet ("CIFAR-10" = "CIFAR10", "Graph Neural Networks" = "graph neural network").

The gazetteers are shipped with the package: kg/data/datasets.txt, kg/data/methods.txt and
kg/data/metrics.txt, one entity a line, the canonical name first and other spellings after "|".
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

__all__ = ["entity_key", "load_gazetteer", "GAZETTEERS"]

GAZETTEERS = {"dataset": "data/datasets.txt", "method": "data/methods.txt", "metric": "data/metrics.txt"}


def _singular(word: str) -> str:
    if len(word) <= 3 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1]


def entity_key(name: str) -> str:
    """The key under which spellings of one entity meet.

    >>> entity_key("CIFAR-10") == entity_key("cifar10"), entity_key("Graph Neural Networks") == entity_key("graph neural network")
    (True, True)
    """
    words = re.findall(r"[0-9a-z]+", name.lower())
    if words and not words[-1].isdigit():
        words[-1] = _singular(words[-1])
    return "".join(words)


@lru_cache(maxsize=None)
def load_gazetteer(kind: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Key of every known spelling -> (canonical name, aliases) for `kind` ("dataset", "method").

    A line is ``Canonical | alias | alias``; '#' starts a comment."""
    path = GAZETTEERS.get(kind)
    if path is None:
        return {}
    table: dict[str, tuple[str, tuple[str, ...]]] = {}
    resource = resources.files("kg").joinpath(path)
    if not resource.is_file():
        return {}
    for line in resource.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        names = [n.strip() for n in line.split("|") if n.strip()]
        entry = (names[0], tuple(names[1:]))
        for name in names:
            table.setdefault(entity_key(name), entry)
    return table
