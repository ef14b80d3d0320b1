"""HLA matching, 6-locus and 8-allele, with both directions for homozygous loci (DOMAIN.md 1.1)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.hla import HlaParams, match_eight_allele, match_locus, match_six_locus, typing_key
from app.study.rules import RuleBook

RECIPIENT = {
    "A": ("A*02:01", "A*24:02"),
    "B": ("B*46:01", "B*58:01"),
    "C": ("C*01:02", "C*03:02"),
    "DRB1": ("DRB1*09:01", "DRB1*03:01"),
}


@pytest.fixture
def params(rulebook: RuleBook) -> HlaParams:
    return rulebook.params(HlaParams, "cordblood")


def test_identical_unit_is_6_of_6_and_8_of_8_without_warnings(params: HlaParams) -> None:
    six = match_six_locus(RECIPIENT, RECIPIENT, params)
    eight = match_eight_allele(RECIPIENT, RECIPIENT, params)
    assert (six.label, eight.label) == ("6/6", "8/8")
    assert six.warnings == () and eight.warnings == ()
    assert six.rule.rule == "hla.match_6" and eight.rule.rule == "hla.match_8"


def test_pairing_order_does_not_matter(params: HlaParams) -> None:
    unit = {k: (v[1], v[0]) for k, v in RECIPIENT.items()}
    assert match_eight_allele(RECIPIENT, unit, params).score == 8


def test_allele_mismatch_at_a_counts_for_8_allele_but_not_antigen_level_6_locus(
    params: HlaParams,
) -> None:
    unit = {**RECIPIENT, "A": ("A*02:06", "A*24:02")}  # same antigen A2, different allele
    assert match_six_locus(RECIPIENT, unit, params).score == 6
    eight = match_eight_allele(RECIPIENT, unit, params)
    assert eight.score == 7 and eight.mismatches == 1 and eight.warnings == ()


def test_drb1_is_allele_level_in_the_6_locus_count(params: HlaParams) -> None:
    unit = {**RECIPIENT, "DRB1": ("DRB1*09:02", "DRB1*03:01")}
    assert match_six_locus(RECIPIENT, unit, params).score == 5


def test_hla_c_mismatch_warns(params: HlaParams) -> None:
    unit = {**RECIPIENT, "C": ("C*01:02", "C*08:01")}
    eight = match_eight_allele(RECIPIENT, unit, params)
    assert eight.score == 7 and eight.warnings == ("hla.warn.c_mismatch",)


@pytest.mark.parametrize(
    ("mismatched_loci", "warns"), [(("A", "B"), False), (("A", "B", "DRB1"), True)]
)
def test_more_than_two_mismatches_warns(
    params: HlaParams, mismatched_loci: tuple[str, ...], warns: bool
) -> None:
    unit = dict(RECIPIENT)
    for locus in mismatched_loci:
        unit[locus] = (f"{locus}*99:01", RECIPIENT[locus][1])
    eight = match_eight_allele(RECIPIENT, unit, params)
    assert eight.mismatches == len(mismatched_loci)
    assert ("hla.warn.too_many_mismatches" in eight.warnings) is warns


def test_six_locus_3_of_6_is_flagged_4_of_6_is_not(params: HlaParams) -> None:
    two_off = {**RECIPIENT, "A": ("A*11:01", "A*24:02"), "B": ("B*07:02", "B*58:01")}
    three_off = {**two_off, "DRB1": ("DRB1*15:01", "DRB1*03:01")}
    assert "hla.warn.six_locus_low" not in match_six_locus(RECIPIENT, two_off, params).warnings
    low = match_six_locus(RECIPIENT, three_off, params)
    assert low.label == "3/6" and "hla.warn.six_locus_low" in low.warnings


def test_homozygous_recipient_is_matched_in_gvh_direction_when_the_unit_carries_the_allele() -> (
    None
):
    m = match_locus(("A*02:01",), ("A*02:01", "A*11:01"), "A", "allele")
    assert (m.matches, m.gvh_mismatches, m.hvg_mismatches) == (1, 0, 1)


def test_homozygous_unit_mismatches_only_in_gvh_direction() -> None:
    m = match_locus(("A*02:01", "A*11:01"), ("A*02:01", None), "A", "allele")
    assert (m.matches, m.gvh_mismatches, m.hvg_mismatches) == (1, 1, 0)


def test_both_homozygous_different_is_two_mismatches_each_way() -> None:
    m = match_locus(("A*02:01", ""), ("A*11:01",), "A", "allele")
    assert (m.matches, m.gvh_mismatches, m.hvg_mismatches) == (0, 2, 2)


def test_missing_or_low_resolution_typing_is_unresolved_and_warned(params: HlaParams) -> None:
    unit = {**RECIPIENT, "C": ("C1", "C3")}  # serology cannot be compared at allele level
    del unit["DRB1"]
    eight = match_eight_allele(RECIPIENT, unit, params)
    assert eight.unresolved_loci == ("C", "DRB1")
    assert eight.score == 4 and eight.max_score == 8
    assert "hla.warn.unresolved_locus" in eight.warnings
    assert not match_locus((), ("A*02:01",), "A", "allele").resolved
    assert not match_locus(("A*02:01", "A*03:01", "A*11:01"), ("A*02:01",), "A", "allele").resolved


@pytest.mark.parametrize(
    ("typing", "level", "key"),
    [
        ("HLA-A*02:01:01:02", "allele", "02:01"),
        ("A*02:01", "antigen", "2"),
        ("A2", "antigen", "2"),
        ("02", "antigen", "2"),
        ("A2", "allele", None),
        ("A*02:XX", "allele", None),
        ("Ax", "antigen", None),
    ],
)
def test_typing_key_resolution_levels(typing: str, level: str, key: str | None) -> None:
    assert typing_key(typing, "A", level) == key


_allele = st.sampled_from(["01:01", "02:01", "02:06", "11:01", "24:02"])
_locus = st.tuples(_allele, _allele)


@given(_locus, _locus)
def test_match_count_bounded_symmetric_and_consistent_with_directions(
    r: tuple[str, str], u: tuple[str, str]
) -> None:
    there, back = match_locus(r, u, "A", "allele"), match_locus(u, r, "A", "allele")
    assert 0 <= there.matches <= 2
    assert there.matches == back.matches
    assert (there.gvh_mismatches, there.hvg_mismatches) == (
        back.hvg_mismatches,
        back.gvh_mismatches,
    )
    assert 2 - there.matches == max(there.gvh_mismatches, there.hvg_mismatches)


@given(st.fixed_dictionaries({k: _locus for k in ("A", "B", "C", "DRB1")}))
def test_totals_never_exceed_the_maximum(
    rulebook: RuleBook, unit: dict[str, tuple[str, str]]
) -> None:
    params = rulebook.params(HlaParams, "cordblood")
    recipient = {k: ("02:01", "24:02") for k in ("A", "B", "C", "DRB1")}
    six, eight = (
        match_six_locus(recipient, unit, params),
        match_eight_allele(recipient, unit, params),
    )
    assert 0 <= six.score <= 6 and 0 <= eight.score <= 8
    assert six.score >= eight.score - 2  # C is not in the 6-locus count; antigen level is looser
    assert eight.score == match_eight_allele(unit, recipient, params).score
    assert eight.unresolved_loci == ()
