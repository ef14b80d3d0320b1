"""Eligibility for NCT03835312: per criterion and overall (DOMAIN.md 0)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.eligibility import (
    EXCLUSION,
    ORGAN_DAMAGE_ITEMS,
    EligibilityAnswers,
    EligibilityParams,
    age_in_years,
    evaluate,
)
from app.study.rules import RuleBook

ON = date(2026, 11, 24)
NO_DAMAGE = dict.fromkeys(ORGAN_DAMAGE_ITEMS, False)
ELIGIBLE = EligibilityAnswers(
    date_of_birth=date(2016, 5, 1),
    t1dm_confirmed=True,
    organ_damage={**NO_DAMAGE, "inflammatory_bowel_disease": True},
    organ_damage_recurring=True,
    pathogenic_variant_confirmed=True,
    exclusions=dict.fromkeys(EXCLUSION, False),
)


@pytest.fixture
def params(rulebook: RuleBook) -> EligibilityParams:
    return rulebook.params(EligibilityParams, "eligibility")


def test_complete_eligible_child(params: EligibilityParams) -> None:
    result = evaluate(ELIGIBLE, ON, params)
    assert (result.status, result.code) == ("eligible", "eligibility.eligible")
    assert result.failed == () and result.missing == ()
    assert len(result.criteria) == 3 + 6 + 1
    assert result.rule.version == "MDV.SEQTX.1"


def test_there_are_11_organ_damage_items_and_6_exclusions() -> None:
    assert len(ORGAN_DAMAGE_ITEMS) == 11 and len(EXCLUSION) == 6


@pytest.mark.parametrize("item", ORGAN_DAMAGE_ITEMS)
def test_any_one_organ_damage_item_satisfies_inclusion_2(
    params: EligibilityParams, item: str
) -> None:
    answers = replace(ELIGIBLE, organ_damage={**NO_DAMAGE, item: True})
    criterion = evaluate(answers, ON, params).criteria[1]
    assert criterion.status == "met" and criterion.values["present"] == (item,)


def test_organ_damage_that_does_not_recur_after_treatment_fails_inclusion_2(
    params: EligibilityParams,
) -> None:
    result = evaluate(replace(ELIGIBLE, organ_damage_recurring=False), ON, params)
    assert result.status == "not_eligible" and result.failed == ("inc2_organ_damage",)


def test_no_organ_damage_fails_inclusion_2(params: EligibilityParams) -> None:
    result = evaluate(replace(ELIGIBLE, organ_damage=NO_DAMAGE), ON, params)
    assert result.failed == ("inc2_organ_damage",)


def test_unanswered_organ_damage_items_are_listed_as_missing(params: EligibilityParams) -> None:
    partial = {**NO_DAMAGE}
    del partial["hypophysitis"]
    result = evaluate(replace(ELIGIBLE, organ_damage=partial), ON, params)
    assert result.status == "incomplete"
    assert result.missing == ("inc2_organ_damage.hypophysitis",)


def test_recurrence_unanswered_is_missing(params: EligibilityParams) -> None:
    result = evaluate(replace(ELIGIBLE, organ_damage_recurring=None), ON, params)
    assert result.status == "incomplete" and result.missing == ("inc2_organ_damage.recurring",)


@pytest.mark.parametrize("exclusion", EXCLUSION)
def test_any_exclusion_present_makes_the_child_not_eligible(
    params: EligibilityParams, exclusion: str
) -> None:
    answers = replace(ELIGIBLE, exclusions={**ELIGIBLE.exclusions, exclusion: True})
    result = evaluate(answers, ON, params)
    assert result.status == "not_eligible" and result.failed == (exclusion,)


def test_empty_form_is_incomplete_and_lists_everything_missing(params: EligibilityParams) -> None:
    result = evaluate(EligibilityAnswers(), ON, params)
    assert result.status == "incomplete"
    assert result.missing[0] == "inc1_t1dm" and "date_of_birth" in result.missing
    assert len(result.missing) == 1 + 11 + 1 + 6 + 1


def test_not_eligible_wins_over_incomplete_but_still_lists_missing(
    params: EligibilityParams,
) -> None:
    answers = EligibilityAnswers(t1dm_confirmed=False)
    result = evaluate(answers, ON, params)
    assert result.status == "not_eligible" and result.failed == ("inc1_t1dm",)
    assert "inc3_pathogenic_variant" in result.missing


@pytest.mark.parametrize(
    ("dob", "status"),
    [
        (date(2007, 11, 25), "met"),  # 18 years, one day before the 19th birthday
        (date(2007, 11, 24), "not_met"),  # 19 today
        (date(2008, 11, 24), "met"),  # 18 today
    ],
)
def test_age_limit_18_completed_years(params: EligibilityParams, dob: date, status: str) -> None:
    age = evaluate(replace(ELIGIBLE, date_of_birth=dob), ON, params).criteria[-1]
    assert age.criterion == "age" and age.status == status and age.values["age_max_years"] == 18


def test_birth_date_after_assessment_is_invalid(params: EligibilityParams) -> None:
    result = evaluate(replace(ELIGIBLE, date_of_birth=date(2027, 1, 1)), ON, params)
    assert result.status == "incomplete" and result.criteria[-1].status == "invalid"
    assert result.missing == ("date_of_birth",)


def test_leap_day_birthday() -> None:
    assert age_in_years(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_in_years(date(2008, 2, 29), date(2026, 3, 1)) == 18


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 1, 1)), st.integers(0, 10000))
def test_age_never_decreases_with_time(dob: date, days: int) -> None:
    from datetime import timedelta

    on = dob + timedelta(days=days)
    assert 0 <= age_in_years(dob, on) <= age_in_years(dob, on + timedelta(days=1))
