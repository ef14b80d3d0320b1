"""The clock abstraction and rule provenance every rule result carries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from app.domain.clock import FixedClock, SystemClock
from app.domain.result import Finding, RuleRef


def test_fixed_clock_advances_only_when_told() -> None:
    clock = FixedClock(datetime(2026, 1, 31, 23, 30, tzinfo=UTC))
    assert clock.now() == datetime(2026, 1, 31, 23, 30, tzinfo=UTC)
    clock.advance(timedelta(hours=1))
    assert clock.today() == date(2026, 2, 1)
    assert clock.local_offset_minutes() == 480


def test_system_clock_is_timezone_aware() -> None:
    clock = SystemClock()
    assert clock.now().tzinfo is not None
    assert -14 * 60 <= clock.local_offset_minutes() <= 14 * 60


def test_finding_names_rule_and_version() -> None:
    ref = RuleRef("engraftment.neutrophil_recovery", "ASTCT 2021", "SEQTX.MDV.1")
    finding = Finding("engraftment.neutrophil_day", ref, {"day": 19})
    assert ref.label() == "engraftment.neutrophil_recovery@SEQTX.MDV.1"
    assert finding.severity == "info" and finding.values["day"] == 19
