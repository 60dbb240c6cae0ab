"""SHACL validation of a built graph against ontology/shapes.ttl (pySHACL)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

__all__ = ["ontology_dir", "ValidationResult", "validate_file", "validate_graph"]


def ontology_dir() -> Path:
    """The project's ontology/ folder (vocabulary and shapes, Turtle), beside the kg package."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "ontology", package.parent / "ontology"):
        if (candidate / "shapes.ttl").exists():
            return candidate
    raise InputError("ontology/shapes.ttl not found beside the kg package")


@dataclass(frozen=True)
class ValidationResult:
    conforms: bool
    violations: int
    text: str  # pySHACL's report, for people


def validate_graph(data_graph) -> ValidationResult:
    """Validate an rdflib Graph (or Dataset) against the shapes, with the ontology as extra triples."""
    import pyshacl
    import rdflib

    shapes = rdflib.Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")
    ontology = rdflib.Graph().parse(ontology_dir() / "kg.ttl", format="turtle")
    conforms, report_graph, text = pyshacl.validate(
        data_graph, shacl_graph=shapes, ont_graph=ontology, inference="none", allow_warnings=False
    )
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    violations = len(list(report_graph.subjects(rdflib.RDF.type, sh.ValidationResult)))
    return ValidationResult(bool(conforms), violations, text)


def validate_file(path) -> ValidationResult:
    """Validate a Turtle file (e.g. BuildDir("exports").graph_ttl)."""
    import rdflib

    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file; run `kg build` first")
    return validate_graph(rdflib.Graph().parse(path, format="turtle"))
