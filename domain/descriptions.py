"""What counts towards a description's minimum length (SPEC §5: "a sensible minimum").

Decision: a description is as long as its letters and digits. Letters of any script count
(Latin, Cyrillic, CJK ideographs, kana, hangul: Unicode categories L*), and so do digits
and other numerals (N*), one each. Whitespace, punctuation, symbols (emoji included),
combining marks and control characters count nothing, so ``"a" + 9 spaces + "b"`` is two
long and ``"。。。。。。。。。。"`` is nought. The text is NFC-normalised first, so ``é`` counts
once whether it arrives precomposed or as ``e`` plus an accent.
"""

from __future__ import annotations

import unicodedata

COUNTED_CATEGORIES = frozenset("LN")


def meaningful_length(text: str) -> int:
    """Letters and digits only: padding with spaces, dots or emoji must not pass the minimum."""
    normal = unicodedata.normalize("NFC", text)
    return sum(1 for ch in normal if unicodedata.category(ch)[0] in COUNTED_CATEGORIES)


def long_enough(text: str, minimum: int) -> bool:
    """Whether a description says enough to be worth an envoy's time."""
    return meaningful_length(text) >= minimum
