"""Chinese word segmentation for every routing feature, with jieba loaded once per process and quietly."""

from __future__ import annotations

import logging
from functools import lru_cache


@lru_cache(maxsize=1)
def _jieba():
    """Load jieba's dictionary once (its default logging prints to stderr on every load)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def lcut(text: str, *, hmm: bool = True) -> list[str]:
    """jieba's precise-mode words of ``text``; ``hmm`` joins unknown words (deterministically)."""
    return _jieba().lcut(text, HMM=hmm)


def lcut_for_search(text: str) -> list[str]:
    """jieba's search-mode words of ``text``: precise-mode words plus the dictionary words inside long ones."""
    return _jieba().lcut_for_search(text)
