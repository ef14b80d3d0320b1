"""The CRF typeface: WenQuanYi Micro Hei (Apache-2.0), shipped in resources/fonts and embedded.

DejaVu Sans (Bitstream Vera licence) is the fallback for the few characters Micro Hei lacks, such
as superscript digits: text is split into runs by which font has the glyph (`runs`).

One TrueType font covers Chinese and Latin, so every string is drawn in it and every PDF embeds a
subset of it; the built-in STSong-Light would only be referenced and print blank elsewhere.
ReportLab writes a ToUnicode map for its subsets, which keeps the text selectable and searchable.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.paths import resource

FONT = "SeqTxCJK"
FONT_FILE = ("fonts", "wqy-microhei.ttc")
FALLBACK = "SeqTxFallback"
FALLBACK_FILE = ("fonts", "DejaVuSans.ttf")

# Runs that may break anywhere (Han, kana, CJK punctuation, full-width forms) vs. Latin words.
_TOKENS = re.compile(
    r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+|\s+"
)


_NO_LINE_START = frozenset("）」』】〉》，。、；：！？)]}.,;:!?%")


@cache
def _face() -> TTFont:
    font = TTFont(FONT, str(resource(*FONT_FILE)), subfontIndex=0)
    pdfmetrics.registerFont(font)
    return font


@cache
def _fallback() -> TTFont:
    font = TTFont(FALLBACK, str(resource(*FALLBACK_FILE)))
    pdfmetrics.registerFont(font)
    return font


@cache
def _covered() -> frozenset[int]:
    return frozenset(_face().face.charToGlyph)


def register_fonts() -> str:
    """Register the fonts once per process (about 80 ms) and return the main font's name."""
    _face()
    _fallback()
    return FONT


@lru_cache(maxsize=8192)
def runs(text: str) -> tuple[tuple[str, str], ...]:
    """(font name, text) runs: the main font wherever it has the glyph, else the fallback."""
    covered = _covered()
    if all(ord(ch) in covered for ch in text):
        return ((FONT, text),)
    out: list[tuple[str, str]] = []
    for ch in text:
        name = FONT if ord(ch) in covered or ch.isspace() else FALLBACK
        if out and out[-1][0] == name:
            out[-1] = (name, out[-1][1] + ch)
        else:
            out.append((name, ch))
    return tuple(out)


@lru_cache(maxsize=65536)
def text_width(text: str, size: float) -> float:
    """Width in points; cached: labels, option texts and headers repeat on every page."""
    face = _face()
    return float(
        sum(
            (face if name == FONT else _fallback()).stringWidth(part, size)
            for name, part in runs(text)
        )
    )


def wrap(text: str, size: float, width: float) -> list[str]:
    """Greedy line breaking: between Latin words, and between any two CJK characters."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _TOKENS.findall(paragraph):
            candidate = line + token
            if text_width(candidate.rstrip(), size) <= width:
                line = candidate if line or not token.isspace() else ""
                continue
            if token in _NO_LINE_START and len(line.rstrip()) > 1:
                # closing punctuation never starts a line: the character before it goes along
                kept = line.rstrip()
                lines.append(kept[:-1].rstrip())
                line = kept[-1] + token
                continue
            if line.strip():
                lines.append(line.rstrip())
            line = "" if token.isspace() else token
            while text_width(line, size) > width and len(line) > 1:  # one over-long word
                cut = _fit(line, size, width)
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line.rstrip())
    return lines


def _fit(word: str, size: float, width: float) -> int:
    cut = len(word) - 1
    while cut > 1 and text_width(word[:cut], size) > width:
        cut -= 1
    return cut
