"""scripts/build_glossary.py: the word-pair statistics behind the cut of Chinese runs."""

import importlib.util
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _build_glossary():
    spec = importlib.util.spec_from_file_location("build_glossary", ROOT / "scripts" / "build_glossary.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_adjacent_words_counted_joined_only_inside_one_phrase():
    build = _build_glossary()
    adjacent, joined = Counter(), Counter()
    # 估计|相机|运动 ↔ "estimate camera motion": the topic "camera motion" spans words 1-2
    words = [("估计", False), ("相机", False), ("运动", False), ("。", True), ("缺乏", False), ("的", False), ("数据", False)]
    build.count_pairs(words, [(1, 2)], adjacent, joined)
    build.count_pairs(words, [(0, 2)], adjacent, joined)
    # punctuation and function words (的) make no pair
    assert adjacent == Counter({("估计", "相机"): 2, ("相机", "运动"): 2})
    assert joined == Counter({("相机", "运动"): 2, ("估计", "相机"): 1})
