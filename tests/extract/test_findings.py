"""What one text yields before ranking (kg.extract.findings): JSON round trips, and the findings of a processed Doc."""

from types import SimpleNamespace

from kg.extract.findings import Findings, findings_from_doc


def test_findings_survive_json_as_the_cache_and_the_workers_send_them():
    found = Findings({"knowledge neuron": [2, 0, 2, True, False]}, [("CMT", "Cross Modal Transformer", True)],
                     ["Muse"], ["nuScenes"], zh=True, zh_aliases={"uav": "unmanned aerial vehicle"})
    assert Findings.from_json(found.to_json()) == found
    assert Findings.from_json(Findings().to_json()) == Findings()


def test_a_copy_has_its_own_dataset_list():
    found = Findings(datasets=["COCO"])
    copy = found.copy()
    copy.datasets.append("ImageNet")
    assert found.datasets == ["COCO"] and copy.candidates is found.candidates


def test_findings_of_a_doc_count_candidates_and_mark_the_title():
    # the four Doc extensions the kg_ components write (a stand-in Doc: no spaCy needed)
    doc = SimpleNamespace(_=SimpleNamespace(
        kg_candidates=[("knowledge neuron", 0, 2, False), ("model", 30, 1, False), ("knowledge neuron", 40, 2, False)],
        kg_acronyms=[("KN", "knowledge neuron", False)], kg_named=["Muse"], kg_datasets=["COCO"],
    ))
    found = findings_from_doc(doc, title_len=20)
    assert found.candidates == {"knowledge neuron": [2, 0, 2, True, False], "model": [1, 30, 1, False, False]}
    assert (found.acronyms, found.named, found.datasets, found.zh) == ([("KN", "knowledge neuron", False)], ["Muse"],
                                                                        ["COCO"], False)
