"""Chinese abstracts → English topic labels, through the glossary the project learns from parallel text.

A Chinese-only entry should give the topic nodes its English original would. The text is segmented
with jieba (segment.py; words the glossary does not know are split into words it knows:
理论|分析表明); runs of nominal words (split at punctuation and function words, so "A的B" gives two
phrases, as "B of A" does in English, unless English abstracts write "A B": 复杂的结构 → "complex
structure") are translated into English words (translate.py: a search over glossary entries and
their translations, scored by the alignment shares and by how often English abstracts use the
result: 语义|分割 → "semantic segmentation", 时间|上下文 → "temporal context"). Chinese and English
noun phrases both put modifiers before the head. Latin-script words inside the Chinese (Transformer,
GFNet, BERT) are kept as they are: they are the safest anchors. candidates.py reads the runs and
emits the candidates. The glossary itself is kg.knowledge.glossary.
"""

from .candidates import zh_candidates, zh_named
from .segment import segment

__all__ = ["zh_candidates", "zh_named", "segment"]
