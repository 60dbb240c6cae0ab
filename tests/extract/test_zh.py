"""Chinese text → English topic candidates (kg.extract.zh), and the background frequencies that rank them."""

from kg.extract.background import load_background, parse_background
from kg.extract.zh import segment, zh_candidates
from kg.knowledge.glossary import parse_glossary
from kg.util.words import topic_key

from ..knowledge.glossaries import CHOICES, PAIRS, TINY


def test_background_table_parses_and_ships():
    bg = parse_background(["#docs\t10\n", "label\tsemanticsegmentation\t3\n", "word\tmodel\t9\n"])
    assert (bg.n_docs, bg.labels, bg.words) == (10, {"semanticsegmentation": 3}, {"model": 9})
    shipped = load_background()
    assert shipped.n_docs > 10000
    # a word in most abstracts is far more frequent than a specific topic
    assert shipped.words["model"] > 20 * shipped.labels[topic_key("semantic segmentation")]

def test_zh_candidates_translate_runs_and_keep_latin_anchors():
    found, aliases = zh_candidates("本文提出一种新的语义分割方法,基于Transformer。分布鲁棒优化(DRO)很有效。", TINY,
                                   skip_modifiers=frozenset({"novel"}))
    labels = [label for label, *_ in found]
    assert "semantic segmentation" in labels and "transformer" in labels
    assert "distributionally robust optimization" in labels
    assert aliases == {"dro": "distributionally robust optimization"}
    assert not any("proposed" in label or "novel" in label for label in labels)
    span = {label: zh for label, _, _, zh in found}
    assert span["semantic segmentation"] == "语义分割"

def test_segment_keeps_offsets():
    text = "预训练Transformer的知识神经元"
    assert all(text[start : start + len(word)] == word for word, start in segment(text))

def test_translation_is_chosen_by_english_usage():
    def labels(text, known):
        return [label for label, *_ in zh_candidates(text, CHOICES, known=known)[0]]

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
    found, _ = zh_candidates("多视角，理论分析表明", CHOICES, known=lambda phrase: 0)
    assert [label for label, *_ in found] == ["multi-view", "analysis"]  # 分析表明 split, 表明 a function word

def test_bracketed_acronym_takes_the_english_long_form():
    found, aliases = zh_candidates("小型无人机（UAV）很轻。", CHOICES, known=lambda phrase: 0)
    assert aliases["uav"] == aliases["drone"] == "unmanned aerial vehicle"
    assert [label for label, *_ in found] == ["drone", "uav"]  # "(UAV)" counts for its topic too

def test_known_terms_inside_long_runs_only(monkeypatch):
    from kg.extract.background import Background
    from kg.extract.findings import Findings
    from kg.extract.mentions import _add_chinese
    from kg.extract.zh import candidates as zh_module

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
    from kg.extract.zh.translate import split_unknown

    glossary = parse_glossary(
        line + "\n"
        for line in ["流\tstream\t40\t50\t1", "行\tline\t20\t25\t1", "流行\tpopular\t2\t200\t1", "分析\tanalysis\t50\t60\t1"]
    )
    # 流行 is known whole (seldom aligned: untrusted), so not "stream line"; 分析表明 is split
    assert split_unknown(segment("流行分析表明"), glossary) == [("流行", 0), ("分析", 2), ("表明", 4)]

def test_chinese_latin_names_stay_topics_unless_named():
    from kg.extract import ExtractConfig, extract_entries
    from kg.model import Entity, Entry, Source

    entry = Entry(Source("x.txt", 1), "feed", abstract="我们提出了GFNet，并与RANSAC和BERT比较。GFNet的语义分割更好。", lang="zh")
    (x,) = extract_entries([entry], ExtractConfig())
    # as in English: the paper's own name and the known methods it uses are methods, and semantic
    # segmentation is a task; none of them is also a topic
    assert x.topics == ()
    assert [m.name for m in x.methods] == ["GFNet", "RANSAC", "BERT"]
    assert x.tasks == (Entity("semantic segmentation"),)

def test_hyphenated_latin_words_stay_whole():
    glossary = parse_glossary(["单元\tunit\t40\t50\t1\n"])
    found, _ = zh_candidates("来自Long Short-Term Memory单元的门控。", glossary, known=lambda phrase: 0)
    assert [(label, span) for label, _, _, span in found] == [("long short-term memory unit", "Long Short-Term Memory单元")]

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

def test_runs_are_cut_where_english_keeps_words_apart():
    found, _ = zh_candidates("估计相机运动。缺乏训练数据。", PAIRS, known=lambda phrase: 0)
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

def test_based_on_a_before_de_is_an_a_based_phrase(monkeypatch):
    from kg.extract.background import load_background
    from kg.extract.findings import Findings
    from kg.extract.mentions import _add_chinese
    from kg.extract.zh import candidates as zh_module

    glossary = parse_glossary(
        f"{zh}\t{en}\t40\t50\t1\n" for zh, en in [("注意力", "attention"), ("模型", "model"), ("回归", "regression")]
    )
    found, _ = zh_candidates("基于注意力的模型。回归的模型。", glossary, known=lambda phrase: 0)
    # 基于A的B is "A-based B", as English writes it; A的B alone stays "B of A"
    assert [label for label, *_ in found] == ["attention-based model", "regression", "model"]
    # a hyphenated lead ("attention-based") is no weak participle: English keeps it in the phrase
    raw = Findings()
    monkeypatch.setattr(zh_module, "load_glossary", lambda: glossary)
    _add_chinese(raw, "基于注意力的模型。", 0, load_background())
    assert raw.candidates["attention-based model"][4] is False

def test_merged_variants_print_as_english_entries_do():
    from kg.extract import ExtractConfig
    from kg.extract.findings import Findings
    from kg.extract.mentions import entry_text_key, rank_entries
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
