"""Text helpers shared by the scorers: normalising, sentences, word counts (Latin and CJK)."""

from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00a0": " "}
    | dict.fromkeys("\u201c\u201d\u201e\u00ab\u00bb\u300c\u300d\u300e\u300f", '"')  # “ ” „ « » 「 」 『 』
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])|\n+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|\d+")


def normalise(text: str) -> str:
    """NFKC, straight apostrophes and quotes, lower case, single spaces within lines."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    return "\n".join(re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines())


def sentences(text: str) -> list[str]:
    """Split on sentence punctuation (Latin and CJK) and line breaks; drop empty pieces."""
    return [piece.strip() for piece in _SENTENCE_END.split(text) if piece and piece.strip()]


def word_count(text: str) -> float:
    """Words in Latin scripts; in Chinese or Japanese script two characters count as one word."""
    cjk = len(_CJK.findall(text))
    latin = len(_WORD.findall(_CJK.sub(" ", text)))
    return latin + cjk / 2
