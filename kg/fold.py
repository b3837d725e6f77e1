"""Fold the spellings of one name to a single comparison key.

Text keeps the form the source wrote; only comparison keys are folded. zhconv-rs carries
MediaWiki's own conversion tables, the ones zh.wikipedia uses to show one page in 简 and
繁, so two titles that Wikipedia treats as the same page fold to the same key
(黨/党, 組織/组织, 査/查).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import zhconv_rs

_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    """Simplified-Chinese form of ``text`` by MediaWiki's zh-hans rules."""
    return str(zhconv_rs.zhconv(text, "zh-hans"))


def normalize_width(text: str) -> str:
    """Full-width digits, letters and brackets to their ASCII forms (NFKC)."""
    return unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Comparison key: NFKC, simplified characters, case and spacing folded."""
    folded = to_simplified(normalize_width(text)).casefold()
    return _SPACES.sub(" ", folded.replace("_", " ")).strip()
