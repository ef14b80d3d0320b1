"""ISBT 128 Donation Identification Number (DIN): parsing and the ISO 7064 Mod 37-2 check character.

Sources: DOMAIN.md 1.3; ICCBBA ST-001 Data Structure 001 (DIN layout) [P]; JPAC Red Book Annex 2
(check character: worked example G123498654321 -> H, flags 77) [V]; ISO 7064 Mod 37-2 (the same
algorithm as python-stdnum's `iso7064.mod_37_2`). The flag offset (check value + 60) comes from
resources/study/rules/cordblood.yaml; the alphabet and modulus are the ISO 7064 algorithm itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.result import RuleRef

SOURCE = (
    "ICCBBA ST-001 Data Structure 001; JPAC Red Book Annex 2 (ISO 7064 Mod 37-2); DOMAIN.md 1.3"
)

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*"
_MODULUS = 37  # ISO 7064 Mod 37-2: modulus 37, radix 2
_FIN, _YEAR, _SEQ, _FLAGS = 5, 2, 6, 2
_DIN_LEN = _FIN + _YEAR + _SEQ  # 13 characters the check character covers


@dataclass(frozen=True)
class Isbt128Params:
    version: str
    isbt128_flag_check_offset: int


def mod37_2(data: str) -> str:
    """ISO 7064 Mod 37-2 check character of `data` (characters of ALPHABET); ValueError otherwise.

    Iterative form of S = sum(value x 2^n), c = (38 - S mod 37) mod 37 (DOMAIN.md 1.3).
    """
    check = 0
    for ch in data:
        value = ALPHABET.find(ch)
        if value < 0:
            raise ValueError(f"character {ch!r} is outside the ISO 7064 Mod 37-2 alphabet")
        check = (check + value) * 2 % _MODULUS
    return ALPHABET[(_MODULUS + 1 - check) % _MODULUS]


@dataclass(frozen=True)
class Din:
    fin: str
    year: str
    sequence: str
    flags: str | None
    check_character: str  # computed; equals the printed one when that was given

    @property
    def din(self) -> str:
        return self.fin + self.year + self.sequence


@dataclass(frozen=True)
class DinParse:
    """code: "isbt128.din.ok" or an error code ("isbt128.din.wrong_length", ".bad_fin",
    ".bad_year", ".bad_sequence", ".bad_flags", ".bad_check_character", ".wrong_check_character",
    ".flag_check_mismatch")."""

    code: str
    text: str
    din: Din | None
    detail: str
    rule: RuleRef

    @property
    def ok(self) -> bool:
        return self.din is not None


def parse_din(text: str, params: Isbt128Params) -> DinParse:
    """Parse a DIN as scanned or typed.

    Accepted: an optional leading "=" (barcode data identifier), FIN (5 alphanumerics; the exact
    per-position set is [U]), year (2 digits), sequence (6 digits), then optionally the 2 flag digits,
    then optionally the eye-readable check character. Spaces are ignored and letters upper-cased.
    Lengths after "=": 13 (DIN), 14 (DIN + check), 15 (DIN + flags), 16 (DIN + flags + check).
    Flags 60..96 must equal the check value + 60 (JPAC).
    """
    rule = RuleRef("isbt128.din", SOURCE, params.version)
    body = "".join(text.split()).upper()
    if body.startswith("="):
        body = body[1:]

    def fail(code: str, detail: str = "") -> DinParse:
        return DinParse(f"isbt128.din.{code}", text, None, detail, rule)

    extra = len(body) - _DIN_LEN
    if extra not in (0, 1, 2, 3):
        return fail("wrong_length", str(len(body)))
    fin, year, seq = body[:_FIN], body[_FIN : _FIN + _YEAR], body[_FIN + _YEAR : _DIN_LEN]
    flags = body[_DIN_LEN : _DIN_LEN + _FLAGS] if extra >= _FLAGS else None
    printed = body[-1] if extra % 2 == 1 else None
    if not (fin.isascii() and fin.isalnum()):
        return fail("bad_fin", fin)
    if not (year.isascii() and year.isdigit()):
        return fail("bad_year", year)
    if not (seq.isascii() and seq.isdigit()):
        return fail("bad_sequence", seq)
    if flags is not None and not (flags.isascii() and flags.isdigit()):
        return fail("bad_flags", flags)
    if printed is not None and printed not in ALPHABET:
        return fail("bad_check_character", printed)
    check = mod37_2(body[:_DIN_LEN])
    if printed is not None and printed != check:
        return fail("wrong_check_character", f"expected {check}")
    offset = params.isbt128_flag_check_offset
    carries_check = flags is not None and offset <= int(flags) < offset + _MODULUS
    if carries_check and int(str(flags)) - offset != ALPHABET.index(check):
        return fail("flag_check_mismatch", f"expected {ALPHABET.index(check) + offset}")
    return DinParse("isbt128.din.ok", text, Din(fin, year, seq, flags, check), "", rule)


def check_flags(check_character: str, params: Isbt128Params) -> str:
    """The 2 barcode flag digits that carry a check character (value + 60, JPAC)."""
    return f"{ALPHABET.index(check_character) + params.isbt128_flag_check_offset:02d}"
