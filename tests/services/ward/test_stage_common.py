"""Values read back from stored item text: dates as the ward types them."""

from __future__ import annotations

from datetime import date

import pytest

from app.services.stage_common import as_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-24", date(2026, 11, 24)),
        ("2026-11-24T09:30", date(2026, 11, 24)),
        ("2026-11-24 09:30", date(2026, 11, 24)),  # the form's placeholder shows a space
        ("24/11/2026", None),
        ("", None),
        (None, None),
    ],
)
def test_dates_with_or_without_a_time(text: str | None, expected: date | None) -> None:
    assert as_date(text) == expected
