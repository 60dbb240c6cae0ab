"""Chinese text as words: jieba's segmentation, and the word classes the translation reads
(function words that end a phrase, numbers, Latin-script words kept as they are)."""

from __future__ import annotations

import re
from functools import lru_cache

from ...util.words import is_latin

__all__ = ["segment", "ZH_STOP", "NUMBER_RE", "latin_label"]

NUMBER_RE = re.compile(r"^[0-9０-９]+(?:\.[0-9]+)?[A-Za-z]?$")
# Function words that end a phrase even when a bad alignment gave them a translation.
ZH_STOP = frozenset(
    """
    的 之 和 与 及 以及 或 或者 并 并且 而 而且 但 但是 在 是 对 对于 将 把 被 为 为了 由 由于 从 到 向 以 用 使用
    通过 基于 根据 其 该 这 这些 那 那些 此 每 各 一个 一种 一些 一 个 种 中 上 下 内 时 后 前 等 如 例如 即
    我们 本文 他们 它们 它 我 你 了 也 都 还 又 就 则 可以 能够 可 能 会 不 没有 非常 很 更 最 所 所有 其他
    该方法 这种 这个 这项 一项 已经 已 仍 仍然 同时 以便 从而 因此 然而 此外 另外 首先 其次 最后 具有 进行 提出
    表明 显示 证明 实现 提供 使 让 得到 获得 包括 包含 作为 成为 存在 需要 如何 什么 哪些 不同 相同 更多 较
    """.split()
)


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def segment(text: str) -> list[tuple[str, int]]:
    """jieba's words with their character offsets, spaces dropped; a Latin-script word that jieba
    cut at a hyphen is one word again (Short-Term, AP17-OLR), as English candidates keep it.

    >>> [w for w, _ in segment("预训练Transformer的知识神经元")][-3:]
    ['的', '知识', '神经元']
    >>> [w for w, _ in segment("Long Short-Term Memory单元")]
    ['Long', 'Short-Term', 'Memory', '单元']
    """
    out: list[tuple[str, int]] = []
    for word, start, _ in _jieba().tokenize(text):
        if not word.strip():
            continue
        if len(out) >= 2 and out[-1][0] == "-" and is_latin(word) and is_latin(out[-2][0]) and (
            out[-2][1] + len(out[-2][0]) == out[-1][1] == start - 1
        ):
            out[-2:] = [(out[-2][0] + "-" + word, out[-2][1])]
            continue
        out.append((word, start))
    return out


def latin_label(word: str) -> str:
    """A Latin-script word as an English label word: "CNNs" → "cnn", "Transformer" → "transformer"."""
    if len(word) > 2 and word.endswith("s") and word[:-1].isupper():
        word = word[:-1]
    return word.lower()
