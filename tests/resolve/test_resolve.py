"""resolve() on hand-made entries: institutions, placeholders, categories, merged papers."""

from kg.model import Entity, Entry, Extraction, Source
from kg.resolve import resolve


def digest_entry(line, title, authors, institutions, tag="LG", url="https://arxiv.org/abs/2104.08696"):
    return Entry(source=Source("d.txt", line), format="digest", number=line, tag=tag, title=title,
                 authors=tuple(authors), institutions=tuple(institutions), abstract=f"Abstract of {title}. " * 10, urls=(url,),
                 arxiv_id=url.rsplit("/", 1)[-1] if "arxiv" in url else None)


def test_institutions_placeholders_categories_and_merging():
    entries = [
        digest_entry(1, "Paper One Title", ["D Dai", "F Wei"], ["MSR", "Unknown Institution", "CMU"]),
        digest_entry(9, "Paper One Title", ["D Dai", "F Wei"], ["MSR"], tag="XX"),  # same arXiv id: merged
        digest_entry(20, "Paper Two Title", ["D Dai", "Q Zhang"], ["Microsoft"], tag="AS",
                     url="https://example.org/2"),
    ]
    extractions = [Extraction(topics=(("a topic", 2.0),), methods=(Entity("Cross Modal Transformer", ("CMT",), "defined"),)),
                   Extraction(topics=(("a topic", 3.0), ("b topic", 1.0)), methods=(Entity("CMT"),)),
                   Extraction()]
    corpus = resolve(entries, extractions)
    assert len(corpus.papers) == 2
    one = next(p for p in corpus.papers if p.id == "arxiv:2104.08696")
    assert [s.line for s in one.sources] == [1, 9]
    assert [(r.printed, r.name, r.institution_id) for r in one.institutions] == [
        ("MSR", "Microsoft Research", "institution:ror-00d0nc645"),
        ("CMU", "Carnegie Mellon University", "institution:ror-05x2bcf33"),
    ]
    assert one.topics == (("a topic", 3.0), ("b topic", 1.0))
    # the bare acronym of the second entry is the method the first defines: one entity, "defined"
    assert one.methods == (Entity("Cross Modal Transformer", ("CMT",), "defined"),)
    assert one.category == "cs.LG" and one.year == 2021
    two = next(p for p in corpus.papers if p.id != "arxiv:2104.08696")
    assert two.id.startswith("title:") and two.category == "eess.AS"
    microsoft = next(i for i in corpus.institutions if i.id == "institution:ror-00d0nc645")
    assert microsoft.name == "Microsoft" and microsoft.printed == ("MSR", "Microsoft") and microsoft.matched
    # D Dai on both papers shares the institution (Microsoft) and is one person; F Wei is one too
    dai = {a.author_id for p in corpus.papers for a in p.authorships if a.printed == "D Dai"}
    assert len(dai) == 1
    assert [p.reason for p in corpus.problems] == []  # the merged entry's tag XX is not the first tag


def test_distinct_arxiv_ids_sharing_a_text_are_two_papers_with_their_own_titles():
    """Issue 21: 0704.0026 and 0704.0112 share an abstract (arXiv records) and a Chinese summary (digest)."""
    from pathlib import Path

    from kg.ingest import read_file

    data = Path(__file__).resolve().parent.parent / "data" / "papers"
    entries = [e for name in ("arxiv_shared_abstract.jsonl", "digest_shared_summary.txt")
               for e in read_file(str(data / name)).entries]
    corpus = resolve(entries, [Extraction() for _ in entries])
    assert [(p.id, p.title, len(p.sources)) for p in corpus.papers] == [
        ("arxiv:0704.0026", "Placeholder Substructures II: Meta-Fractals, Made of Box-Kites, Fill Infinite-Dimensional Skies", 2),
        ("arxiv:0704.0112", "Placeholder Substructures III: A Bit-String-Driven ``Recipe Theory'' for Infinite-Dimensional "
                            "Zero-Divisor Spaces", 2),
    ]
    assert [(p.file.rsplit("/", 1)[-1], p.line, p.reason) for p in corpus.problems] == [
        ("arxiv_shared_abstract.jsonl", 2,
         "entries with different arXiv ids 0704.0026 and 0704.0112 share an abstract text: kept as separate papers"),
        ("digest_shared_summary.txt", 13,
         "entries with different arXiv ids 0704.0026 and 0704.0112 share a Chinese summary: kept as separate papers"),
    ]
