"""Topic keys and Latin-script words (kg.util.words)."""

from kg.util.words import is_latin, topic_key


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


def test_latin_words_are_one_latin_script_token():
    assert [is_latin(w) for w in ("GFNet", "Short-Term", "AP17-OLR", "BERT")] == [True] * 4
    assert [is_latin(w) for w in ("语义", "3D", "a b", "-x", "")] == [False] * 5
