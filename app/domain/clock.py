"""The clock that rules and services are given: never `datetime.now()` inside a rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Source of the current time, always timezone-aware."""

    def now(self) -> datetime: ...


class SystemClock:
    """The workstation's clock, in UTC with the local offset available separately."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def local_offset_minutes(self) -> int:
        offset = datetime.now().astimezone().utcoffset() or timedelta(0)
        return int(offset.total_seconds() // 60)


@dataclass
class FixedClock:
    """A clock tests set and advance by hand (no sleeps)."""

    current: datetime
    offset_minutes: int = 480  # Shanghai, UTC+8

    def now(self) -> datetime:
        return self.current

    def local_offset_minutes(self) -> int:
        return self.offset_minutes

    def advance(self, delta: timedelta) -> None:
        self.current = self.current + delta

    def today(self) -> date:
        return self.current.date()
