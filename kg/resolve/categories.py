"""Digest category tags → arXiv categories."""

from __future__ import annotations

__all__ = ["TAG_TO_CATEGORY", "category_for_tag", "CATEGORY_LABELS"]

# Digests print the arXiv subject class without its archive; the archive follows arXiv's taxonomy.
_CS = "AI AR CC CE CG CL CR CV CY DB DC DL DM DS ET FL GL GR GT HC IR IT LG LO MA MM MS NA NE NI OH OS PF PL RO SC SD SE SI SY".split()
_EESS = {"AS": "eess.AS", "IV": "eess.IV", "SP": "eess.SP"}
_STAT = {"ML": "stat.ML", "ME": "stat.ME", "AP": "stat.AP", "CO": "stat.CO", "TH": "stat.TH"}
_OTHER = {"OC": "math.OC", "NC": "q-bio.NC", "QM": "q-bio.QM", "QUANT-PH": "quant-ph"}

TAG_TO_CATEGORY: dict[str, str] = {tag: f"cs.{tag}" for tag in _CS}
TAG_TO_CATEGORY.update(_EESS)
TAG_TO_CATEGORY.update(_STAT)
TAG_TO_CATEGORY.update(_OTHER)

# Names as in the digests' own legend line and arXiv's taxonomy, for labels in the graph.
CATEGORY_LABELS = {
    "cs.LG": "Machine Learning",
    "cs.CV": "Computer Vision and Pattern Recognition",
    "cs.CL": "Computation and Language",
    "eess.AS": "Audio and Speech Processing",
    "cs.RO": "Robotics",
    "cs.AI": "Artificial Intelligence",
    "cs.SD": "Sound",
    "cs.IR": "Information Retrieval",
    "cs.NE": "Neural and Evolutionary Computing",
    "cs.CR": "Cryptography and Security",
    "stat.ML": "Machine Learning (Statistics)",
    "eess.IV": "Image and Video Processing",
}


def category_for_tag(tag: str) -> str | None:
    """The arXiv category of a digest tag, or None when the tag is unknown.

    >>> category_for_tag("LG"), category_for_tag("AS"), category_for_tag("cs.CV"), category_for_tag("XX")
    ('cs.LG', 'eess.AS', 'cs.CV', None)
    """
    tag = tag.strip()
    if "." in tag and tag.split(".", 1)[0].lower() in ("cs", "eess", "stat", "math", "q-bio", "econ", "physics"):
        archive, sub = tag.split(".", 1)
        return f"{archive.lower()}.{sub.upper() if archive.lower() != 'physics' else sub}"
    return TAG_TO_CATEGORY.get(tag.upper())
