"""ISBT 128 DIN parsing and the ISO 7064 Mod 37-2 check character (DOMAIN.md 1.3)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.isbt128 import ALPHABET, Isbt128Params, check_flags, mod37_2, parse_din
from app.study.rules import RuleBook


@pytest.fixture
def params(rulebook: RuleBook) -> Isbt128Params:
    return rulebook.params(Isbt128Params, "cordblood")


def test_jpac_worked_example_gives_h_and_flags_77(params: Isbt128Params) -> None:
    assert mod37_2("G123498654321") == "H"
    assert check_flags("H", params) == "77"


def test_second_worked_example_gives_d() -> None:
    assert mod37_2("W000015123456") == "D"


def test_check_character_rejects_characters_outside_the_alphabet() -> None:
    with pytest.raises(ValueError, match="alphabet"):
        mod37_2("G12349865432-")


@pytest.mark.parametrize(
    "text",
    [
        "=G12349865432177",  # barcode: data identifier, DIN, flags carrying the check value
        "G123498654321 77 H",  # eye-readable with flags and the boxed check character
        "G12349865432100H",  # flags "not used"
        "G123498654321H",
        "g123498654321",
        "W000015123456D",
    ],
)
def test_valid_dins_parse(params: Isbt128Params, text: str) -> None:
    parsed = parse_din(text, params)
    assert parsed.ok and parsed.code == "isbt128.din.ok"
    assert parsed.din is not None
    assert parsed.din.din in ("G123498654321", "W000015123456")
    assert parsed.rule.rule == "isbt128.din" and parsed.rule.version == "MDV.SEQTX.1"


def test_parts_are_split_per_data_structure_001(params: Isbt128Params) -> None:
    din = parse_din("=G12349865432177", params).din
    assert din is not None
    assert (din.fin, din.year, din.sequence, din.flags, din.check_character) == (
        "G1234",
        "98",
        "654321",
        "77",
        "H",
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("G12349865432", "isbt128.din.wrong_length"),
        ("G123498654321001HX", "isbt128.din.wrong_length"),
        ("", "isbt128.din.wrong_length"),
        ("G12-498654321", "isbt128.din.bad_fin"),
        ("G1234X8654321", "isbt128.din.bad_year"),
        ("G123498A54321", "isbt128.din.bad_sequence"),
        ("G1234986543217A", "isbt128.din.bad_flags"),
        ("G123498654321#", "isbt128.din.bad_check_character"),
        ("G123498654321X", "isbt128.din.wrong_check_character"),
        ("G12349865432100X", "isbt128.din.wrong_check_character"),
        ("G12349865432178", "isbt128.din.flag_check_mismatch"),
    ],
)
def test_malformed_dins_give_a_clear_code(params: Isbt128Params, text: str, code: str) -> None:
    parsed = parse_din(text, params)
    assert not parsed.ok and parsed.code == code and parsed.din is None


@pytest.mark.parametrize(
    ("flags", "ok"), [("59", True), ("60", False), ("96", False), ("97", True)]
)
def test_flag_check_range_boundaries(params: Isbt128Params, flags: str, ok: bool) -> None:
    # Only 60..96 carry a check value; G123498654321 has check value 17 (flags 77).
    assert parse_din("G123498654321" + flags, params).ok is ok


_din_chars = st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=13, max_size=13)


@given(_din_chars, st.integers(min_value=0, max_value=12), st.sampled_from(ALPHABET[:36]))
def test_changing_one_character_changes_the_check_character(
    data: str, position: int, replacement: str
) -> None:
    changed = data[:position] + replacement + data[position + 1 :]
    if changed != data:
        assert mod37_2(changed) != mod37_2(data)


@given(_din_chars)
def test_check_character_validates_its_own_data(data: str) -> None:
    # ISO 7064 pure system check: the doubled running sum of the data, plus the check value, is 1 mod 37.
    running = 0
    for ch in data:
        running = (running + ALPHABET.index(ch)) * 2 % 37
    assert (running + ALPHABET.index(mod37_2(data))) % 37 == 1
