"""The Chinese–English glossary (kg.knowledge.glossary): its rows, what it trusts, and the Chinese names of topics."""

import pytest

from kg.knowledge.glossary import held_out, load_glossary, parse_glossary, zh_label

from .glossaries import CHOICES, PAIRS, TINY


def test_zh_label_reverse_lookup():
    assert zh_label("Semantic  Segmentation", TINY) == "语义分割"
    assert zh_label("proposed", TINY) is None

@pytest.mark.model
def test_shipped_glossary_knows_common_terms():
    glossary = load_glossary()
    assert glossary.lookup("语义分割") == "semantic segmentation"
    assert zh_label("semantic segmentation") == "语义分割"

def test_glossary_rows_give_translations_and_acronyms():
    assert CHOICES.lookup("时间") == "time"
    assert [en for en, _ in CHOICES.translations("时间")] == ["time", "temporal"]
    assert CHOICES.acronyms == {"UAV": "unmanned aerial vehicle"}
    assert CHOICES.lookup("多") is None and CHOICES.translations("多", trusted=False)

def test_glossary_word_pairs_parse():
    assert PAIRS.pairs == {("估计", "相机"): (1, 6), ("缺乏", "训练"): (2, 6)}
    assert "&估计" not in PAIRS.entries
    assert PAIRS.splits("估计", "相机") and not PAIRS.splits("缺乏", "训练")
    assert not PAIRS.splits("相机", "运动")  # never seen apart: no cut

def test_a_word_heading_longer_entries_is_trusted():
    glossary = parse_glossary(
        line + "\n"
        for line in [
            "方法\tmethod\t20\t100\t1",  # 20% alone: under MIN_SHARE
            "方法\tapproach\t10\t100\t1",
            "学习方法\tlearning method\t8\t20\t2",  # ... and the head of longer entries 10% more
            "深度学习方法\tdeep learning approach\t2\t4\t3",
            "增加\tincrease\t20\t100\t1",  # a verb: heads no entry
            "增加数据\tdata\t9\t10\t2",
        ]
    )
    assert glossary.lookup("方法") == "method" and glossary.head_share["方法"] == 0.1
    assert glossary.lookup("增加") is None and "增加" not in glossary.head_share

def test_one_paper_in_five_is_held_out_by_its_id():
    ids = [f"2104.{n:05d}" for n in range(2000)]
    share = sum(map(held_out, ids)) / len(ids)
    assert 0.15 < share < 0.25 and held_out(ids[0]) == held_out(ids[0])
