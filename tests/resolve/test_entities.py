"""One canonical name per entity across the corpus (issue 23, item 2)."""

from dataclasses import dataclass

from kg.model import Entity
from kg.resolve.entities import canonical_entities


@dataclass(frozen=True)
class _Draft:
    id: str
    methods: tuple = ()
    datasets: tuple = ()
    tasks: tuple = ()
    metrics: tuple = ()


def test_dataset_spellings_become_one_canonical_name():
    papers = canonical_entities([
        _Draft("a", datasets=(Entity("CIFAR10"), Entity("MSCOCO", (), "title"))),
        _Draft("b", datasets=(Entity("CIFAR-10"), Entity("MS COCO"), Entity("COCO"))),
    ])
    assert papers[0].datasets == (Entity("CIFAR-10", ("CIFAR10",)), Entity("COCO", ("MS COCO", "MS-COCO", "MSCOCO"), "title"))
    # "MS COCO" and "COCO" on one paper are one entity there
    assert [d.name for d in papers[1].datasets] == ["CIFAR-10", "COCO"]


def test_an_acronym_joins_the_long_form_the_corpus_defines():
    papers = canonical_entities([
        _Draft("a", methods=(Entity("Cross Modal Transformer", ("CMT",), "defined"),)),
        _Draft("b", methods=(Entity("cross-modal transformers", ("CMT",)),)),
        _Draft("c", methods=(Entity("CMT"),)),
    ])
    assert [p.methods for p in papers] == [
        (Entity("Cross Modal Transformer", ("CMT", "cross-modal transformers"), "defined"),),
        (Entity("Cross Modal Transformer", ("CMT", "cross-modal transformers")),),
        (Entity("Cross Modal Transformer", ("CMT", "cross-modal transformers")),),
    ]


def test_an_ambiguous_acronym_stays_apart():
    papers = canonical_entities([
        _Draft("a", tasks=(Entity("super-resolution", ("SR",)),)),
        _Draft("b", tasks=(Entity("speech recognition", ("SR",)),)),
        _Draft("c", tasks=(Entity("SR"),)),
    ])
    assert [p.tasks[0].name for p in papers] == ["super-resolution", "speech recognition", "SR"]


def test_known_methods_take_their_usual_name():
    papers = canonical_entities([
        _Draft("a", methods=(Entity("convolutional neural networks", ("CNNs",), "defined"), Entity("bert"))),
    ])
    assert [m.name for m in papers[0].methods] == ["CNN", "BERT"]
    assert "convolutional neural network" in papers[0].methods[0].aliases
