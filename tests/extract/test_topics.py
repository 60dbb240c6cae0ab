"""Topic keys, background frequencies, the Chinese glossary path and the topic hierarchy."""

from collections import Counter

import pytest

from kg.extract.background import load_background, parse_background, topic_key
from kg.extract.hierarchy import broader_topics, root_categories
from kg.extract.zh import load_glossary, parse_glossary, segment, zh_candidates, zh_label


def test_topic_key_merges_case_hyphens_and_spacing():
    assert topic_key("Meta-Learning framework") == topic_key("meta learning framework") == topic_key("metalearning framework")
    assert topic_key("semantic segmentation") != topic_key("segmentation")


def test_topic_key_merges_variants_of_a_modifier():
    # the shipped table (from the glossary: 面部 → "facial" and "face", 文本 → "text" and "textual")
    assert topic_key("facial image") == topic_key("face image") == topic_key("Face-Image")
    assert topic_key("textual document") == topic_key("text document")
    assert topic_key("robotic arm") == topic_key("robot arm")
    # the head is left alone: "face" and "facial" are not one topic
    assert topic_key("face") != topic_key("facial") and topic_key("image of face") != topic_key("image of facial")


def test_variant_table_needs_one_chinese_word_and_a_shared_stem():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "scripts" / "build_topic_variants.py"
    spec = importlib.util.spec_from_file_location("build_topic_variants", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = ["# header\n", "面部\tfacial\t254\t411\t1\n", "面部\tface\t133\t411\t1\n",
            "场景\tscene\t775\t775\t1\n", "场景\tscenario\t91\t775\t1\n",  # no shared stem + ending
            "人脸\tface\t521\t521\t1\n", "部分\tpart\t149\t518\t1\n", "部分\tpartially\t3\t518\t1\n",
            "&面部\t图像\t5\t9\t0\n"]
    assert module.derive(rows) == {"facial": "face"}


def test_background_table_parses_and_ships():
    bg = parse_background(["#docs\t10\n", "label\tsemanticsegmentation\t3\n", "word\tmodel\t9\n"])
    assert (bg.n_docs, bg.labels, bg.words) == (10, {"semanticsegmentation": 3}, {"model": 9})
    shipped = load_background()
    assert shipped.n_docs > 10000
    # a word in most abstracts is far more frequent than a specific topic
    assert shipped.words["model"] > 20 * shipped.labels[topic_key("semantic segmentation")]


def test_broader_topics_follow_the_head():
    labels = ["semantic segmentation", "segmentation", "few-shot semantic segmentation", "segmentation network",
              "Domain Generalization", "memory-guided domain generalization"]
    assert broader_topics(labels) == {
        "semantic segmentation": "segmentation",
        "few-shot semantic segmentation": "semantic segmentation",
        "memory-guided domain generalization": "Domain Generalization",
    }
    roots = root_categories(
        {"segmentation": Counter({"cs.CV": 1}), "semantic segmentation": Counter({"cs.CV": 2, "cs.LG": 1}),
         "segmentation network": Counter({"cs.LG": 1}), "loner": Counter()},
        {"semantic segmentation": "segmentation"},
    )
    assert roots == {"segmentation": "cs.CV", "segmentation network": "cs.LG"}


_TINY = parse_glossary(
    line + "\n"
    for line in [
        "语义\tsemantic\t50\t60\t1",
        "分割\tsegmentation\t40\t50\t1",
        "语义分割\tsemantic segmentation\t30\t30\t2",
        "分布\tdistributionally\t5\t20\t1",
        "鲁棒\trobust\t9\t10\t1",
        "优化\toptimization\t30\t40\t1",
        "提出\tproposed\t1\t100\t1",  # seldom aligned: not trusted
        "新\tnovel\t9\t10\t1",
    ]
)


def test_zh_candidates_translate_runs_and_keep_latin_anchors():
    found, aliases = zh_candidates("本文提出一种新的语义分割方法,基于Transformer。分布鲁棒优化(DRO)很有效。", _TINY,
                                   skip_modifiers=frozenset({"novel"}))
    labels = [label for label, *_ in found]
    assert "semantic segmentation" in labels and "transformer" in labels
    assert "distributionally robust optimization" in labels
    assert aliases == {"dro": "distributionally robust optimization"}
    assert not any("proposed" in label or "novel" in label for label in labels)
    span = {label: zh for label, _, _, zh in found}
    assert span["semantic segmentation"] == "语义分割"


def test_zh_label_reverse_lookup():
    assert zh_label("Semantic  Segmentation", _TINY) == "语义分割"
    assert zh_label("proposed", _TINY) is None


def test_segment_keeps_offsets():
    text = "预训练Transformer的知识神经元"
    assert all(text[start : start + len(word)] == word for word, start in segment(text))


@pytest.mark.model
def test_shipped_glossary_knows_common_terms():
    glossary = load_glossary()
    assert glossary.lookup("语义分割") == "semantic segmentation"
    assert zh_label("semantic segmentation") == "语义分割"


@pytest.mark.model
def test_seed_graph_has_a_topic_hierarchy_under_categories(seed_build):
    g = seed_build.graph
    broader = [(u, v) for u, v, k in g.edges(keys=True) if k == "BROADER"]
    assert broader
    for u, v in broader:
        narrow, wide = g.nodes[u]["label"], g.nodes[v]["label"]
        assert topic_key(narrow).endswith(topic_key(wide)) and narrow.split()[-1] == wide.split()[-1]
    tops = [(u, v) for u, v, k in g.edges(keys=True) if k == "BROADER_CATEGORY"]
    assert tops and all(g.nodes[v]["type"] == "Category" for _, v in tops)
    assert not any(u in {x for x, _ in broader} for u, _ in tops)  # only roots hang under a category
    assert any("label_zh" in data for _, data in g.nodes(data=True) if data["type"] == "Topic")


@pytest.mark.model
def test_seed_rdf_states_broader_and_chinese_labels(seed_build, seeds_dir):
    text = (seeds_dir / "exports" / "graph.ttl").read_text(encoding="utf-8")
    assert "skos:broader" in text and "@zh" in text


_CHOICES = parse_glossary(
    line + "\n"
    for line in [
        "时间\ttime\t40\t100\t1",  # rows of one form: its translations, best first
        "时间\ttemporal\t30\t100\t1",
        "上下文\tcontext\t50\t60\t1",
        "复杂\tcomplex\t20\t40\t1",
        "结构\tstructure\t50\t60\t1",
        "分析\tanalysis\t50\t60\t1",
        "无人机\tdrone\t9\t10\t1",
        "多\tmulti-view\t3\t100\t1",  # a prefix, untrusted alone
        "视角\tview\t20\t40\t1",
        "@UAV\tunmanned aerial vehicle\t12\t14\t0",
    ]
)


def test_glossary_rows_give_translations_and_acronyms():
    assert _CHOICES.lookup("时间") == "time"
    assert [en for en, _ in _CHOICES.translations("时间")] == ["time", "temporal"]
    assert _CHOICES.acronyms == {"UAV": "unmanned aerial vehicle"}
    assert _CHOICES.lookup("多") is None and _CHOICES.translations("多", trusted=False)


def test_translation_is_chosen_by_english_usage():
    def labels(text, known):
        return [label for label, *_ in zh_candidates(text, _CHOICES, known=known)[0]]

    assert labels("时间上下文。", lambda phrase: 0) == ["time context"]
    assert labels("时间上下文。", {"temporal context": 40}.get) == ["temporal context"]
    # A的B is one phrase when English writes it so, or when A is an adjective (a word English
    # abstracts seldom use as a head: "complex" in the shipped table), else B of A
    assert labels("复杂的结构。", {"complex structure": 12}.get) == ["complex structure"]
    assert labels("复杂的结构。", lambda phrase: 0) == ["complex structure"]
    assert labels("结构的分析。", lambda phrase: 0) == ["structure", "analysis"]
    # a Latin-script head is singular, as English heads are ("Wordnets" → "wordnet")
    assert labels("复杂的Wordnets。", lambda phrase: 0) == ["complex wordnet"]


def test_chinese_compounds_and_glued_words():
    found, _ = zh_candidates("多视角，理论分析表明", _CHOICES, known=lambda phrase: 0)
    assert [label for label, *_ in found] == ["multi-view", "analysis"]  # 分析表明 split, 表明 a function word


def test_bracketed_acronym_takes_the_english_long_form():
    found, aliases = zh_candidates("小型无人机（UAV）很轻。", _CHOICES, known=lambda phrase: 0)
    assert aliases["uav"] == aliases["drone"] == "unmanned aerial vehicle"
    assert [label for label, *_ in found] == ["drone", "uav"]  # "(UAV)" counts for its topic too


def test_known_terms_inside_long_runs_only(monkeypatch):
    from kg.extract import zh as zh_module
    from kg.extract.background import Background
    from kg.extract.mentions import Findings, _add_chinese

    glossary = parse_glossary(
        f"{zh}\t{en}\t40\t50\t1\n"
        for zh, en in [("张量", "tensor"), ("分解", "factorization"), ("技术", "technique"), ("多任务", "multi-task")]
    )
    monkeypatch.setattr(zh_module, "load_glossary", lambda: glossary)
    background = Background(100, {topic_key("tensor factorization"): 7, topic_key("technique"): 50}, {})

    def candidates(text):
        raw = Findings()
        _add_chinese(raw, text, 0, background)
        return raw.candidates

    # three words: the translation as it is, no second candidate for the known part
    assert candidates("张量分解技术。") == {"tensor factorization technique": [1, 0, 3, False, False]}
    # four words or more: the known term inside counts too
    assert candidates("多任务张量分解技术。") == {
        "multi-task tensor factorization technique": [1, 0, 4, False, False],
        "tensor factorization": [1, 0, 2, False, False],
    }


def test_glossary_words_are_not_split():
    from kg.extract.zh_translate import split_unknown

    glossary = parse_glossary(
        line + "\n"
        for line in ["流\tstream\t40\t50\t1", "行\tline\t20\t25\t1", "流行\tpopular\t2\t200\t1", "分析\tanalysis\t50\t60\t1"]
    )
    # 流行 is known whole (seldom aligned: untrusted), so not "stream line"; 分析表明 is split
    assert split_unknown(segment("流行分析表明"), glossary) == [("流行", 0), ("分析", 2), ("表明", 4)]


def test_chinese_latin_names_stay_topics_unless_named():
    from kg.extract import ExtractConfig, extract_entries
    from kg.model import Entry, Source

    entry = Entry(Source("x.txt", 1), "feed", abstract="我们提出了GFNet，并与RANSAC和BERT比较。GFNet的语义分割更好。", lang="zh")
    (x,) = extract_entries([entry], ExtractConfig())
    # as "we propose GFNet" in English: the paper's own name is a method, not a topic; the methods
    # it uses stay topics, as in their English originals
    assert [label for label, _ in x.topics] == ["semantic segmentation", "ransac", "bert"]
    assert [m.name for m in x.methods] == ["GFNet", "RANSAC", "BERT"]


def test_hyphenated_latin_words_stay_whole():
    glossary = parse_glossary(["单元\tunit\t40\t50\t1\n"])
    found, _ = zh_candidates("来自Long Short-Term Memory单元的门控。", glossary, known=lambda phrase: 0)
    assert [(label, span) for label, _, _, span in found] == [("long short-term memory unit", "Long Short-Term Memory单元")]


_PAIRS = parse_glossary(
    line + "\n"
    for line in [
        "估计\testimation\t40\t60\t1",
        "相机\tcamera\t50\t60\t1",
        "运动\tmotion\t50\t60\t1",
        "缺乏\tlack\t10\t30\t1",
        "训练\ttraining\t50\t60\t1",
        "数据\tdata\t50\t60\t1",
        "&估计\t相机\t1\t6\t0",  # adjacent 6 times, inside one English phrase once: a verb and its object
        "&缺乏\t训练\t2\t6\t0",  # a third of the time together: too often to cut
    ]
)


def test_glossary_word_pairs_parse():
    assert _PAIRS.pairs == {("估计", "相机"): (1, 6), ("缺乏", "训练"): (2, 6)}
    assert "&估计" not in _PAIRS.entries
    assert _PAIRS.splits("估计", "相机") and not _PAIRS.splits("缺乏", "训练")
    assert not _PAIRS.splits("相机", "运动")  # never seen apart: no cut


def test_a_pair_seen_too_seldom_is_cut_by_what_its_words_do_with_any_neighbour():
    glossary = parse_glossary(
        line + "\n"
        for line in [
            "缺乏\tlack\t10\t30\t1",
            "标签\tlabel\t50\t60\t1",
            "数据\tdata\t50\t60\t1",
            "&缺乏\t*\t1\t20\t0",  # 缺乏 before any word: 1 time in 20 in one English phrase
            "&*\t数据\t9\t10\t0",
            "&缺乏\t数据\t3\t4\t0",  # ... but before 数据 mostly together: the pair decides
        ]
    )
    assert glossary.splits("缺乏", "标签")  # never seen together: 缺乏's record with any word
    assert not glossary.splits("缺乏", "数据") and not glossary.splits("标签", "数据")
    found, _ = zh_candidates("缺乏标签。", glossary, known=lambda phrase: 0)
    assert [label for label, *_ in found] == ["lack", "label"]


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


def test_runs_are_cut_where_english_keeps_words_apart():
    found, _ = zh_candidates("估计相机运动。缺乏训练数据。", _PAIRS, known=lambda phrase: 0)
    assert [(label, start, span) for label, start, _, span in found] == [
        ("estimation", 0, "估计"),
        ("camera motion", 2, "相机运动"),
        ("lack training data", 7, "缺乏训练数据"),
    ]


def test_leading_verb_noun_dropped_before_a_known_phrase():
    glossary = parse_glossary(
        f"{zh}\t{en}\t40\t50\t1\n"
        for zh, en in [("估计", "estimation"), ("语言", "linguistic"), ("特征", "feature"), ("深度", "deep")]
    )

    def labels(text, df):
        known = lambda phrase: df.get(phrase, 0)  # noqa: E731
        return [(label, span) for label, _, _, span in zh_candidates(text, glossary, known=known)[0]]

    # "estimation linguistic feature" is no English phrase, "linguistic feature" is: 估计 was a verb
    assert labels("估计语言特征。", {"linguistic feature": 5}) == [("linguistic feature", "估计语言特征")]
    # kept whole when English abstracts use the whole, or do not know the rest either
    assert labels("估计语言特征。", {"linguistic feature": 5, "estimation linguistic feature": 3}) == [
        ("estimation linguistic feature", "估计语言特征")
    ]
    assert labels("估计语言特征。", {}) == [("estimation linguistic feature", "估计语言特征")]
    # only a noun made from a verb is dropped ("deep" is a modifier)
    assert labels("深度语言特征。", {"linguistic feature": 5}) == [("deep linguistic feature", "深度语言特征")]


def test_based_on_a_before_de_is_an_a_based_phrase():
    from kg.extract.mentions import Findings, _add_chinese
    from kg.extract.background import load_background

    glossary = parse_glossary(
        f"{zh}\t{en}\t40\t50\t1\n" for zh, en in [("注意力", "attention"), ("模型", "model"), ("回归", "regression")]
    )
    found, _ = zh_candidates("基于注意力的模型。回归的模型。", glossary, known=lambda phrase: 0)
    # 基于A的B is "A-based B", as English writes it; A的B alone stays "B of A"
    assert [label for label, *_ in found] == ["attention-based model", "regression", "model"]
    # a hyphenated lead ("attention-based") is no weak participle: English keeps it in the phrase
    raw = Findings()
    from kg.extract import zh as zh_module

    original = zh_module.load_glossary
    zh_module.load_glossary = lambda: glossary
    try:
        _add_chinese(raw, "基于注意力的模型。", 0, load_background())
    finally:
        zh_module.load_glossary = original
    assert raw.candidates["attention-based model"][4] is False


def test_merged_variants_print_as_english_entries_do():
    from kg.extract import ExtractConfig
    from kg.extract.mentions import Findings, entry_text_key, rank_entries
    from kg.model import Entry, Source

    en = Entry(Source("en.txt", 1), "feed", abstract="textual data", lang="en")
    zh = [Entry(Source(f"zh{i}.txt", 1), "feed", abstract=f"文本数据 {i}", lang="zh") for i in range(2)]
    findings = {entry_text_key(en): Findings(candidates={"textual data": [2, 0, 2, False, False]})}
    for entry in zh:  # the glossary prints 文本数据 as "text data", one topic with "textual data"
        findings[entry_text_key(entry)] = Findings(candidates={"text data": [2, 0, 2, False, False]}, zh=True)
    out = rank_entries([en, *zh], findings, ExtractConfig(background=False))
    assert [x.topics[0][0] for x in out] == ["textual data"] * 3
    # a topic no English entry has keeps the glossary's form
    only_zh = rank_entries(zh, {k: v for k, v in findings.items() if v.zh}, ExtractConfig(background=False))
    assert only_zh[0].topics[0][0] == "text data"
