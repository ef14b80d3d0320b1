"""The CRF typeface: WenQuanYi Micro Hei (Apache-2.0), shipped in resources/fonts and embedded.

One TrueType font covers Chinese and Latin, so every string is drawn in it and every PDF embeds a
subset of it; the built-in STSong-Light would only be referenced and print blank elsewhere.
ReportLab writes a ToUnicode map for its subsets, which keeps the text selectable and searchable.
"""

from __future__ import annotations

import re
from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.paths import resource

FONT = "SeqTxCJK"
FONT_FILE = ("fonts", "wqy-microhei.ttc")

# Runs that may break anywhere (Han, kana, CJK punctuation, full-width forms) vs. Latin words.
_TOKENS = re.compile(
    r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+|\s+"
)


@cache
def _face() -> TTFont:
    font = TTFont(FONT, str(resource(*FONT_FILE)), subfontIndex=0)
    pdfmetrics.registerFont(font)
    return font


def register_fonts() -> str:
    """Register the font once per process (about 70 ms) and return its ReportLab name."""
    _face()
    return FONT


def text_width(text: str, size: float) -> float:
    return float(_face().stringWidth(text, size))


def wrap(text: str, size: float, width: float) -> list[str]:
    """Greedy line breaking: between Latin words, and between any two CJK characters."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _TOKENS.findall(paragraph):
            candidate = line + token
            if not line or text_width(candidate.rstrip(), size) <= width:
                line = candidate if line or not token.isspace() else ""
                continue
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
