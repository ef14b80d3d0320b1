"""Idle lock with a fixed clock (issue 2, point 6)."""

from __future__ import annotations

from datetime import timedelta

from app.domain.clock import FixedClock
from app.services.idle import IdleLock


def test_locks_after_the_timeout_without_activity(clock: FixedClock) -> None:
    lock = IdleLock(timeout_minutes=15)
    lock.touch(clock.now())
    clock.advance(timedelta(minutes=14, seconds=59))
    assert not lock.is_locked(clock.now())
    clock.advance(timedelta(seconds=1))
    assert lock.is_locked(clock.now())


def test_activity_postpones_the_lock(clock: FixedClock) -> None:
    lock = IdleLock(timeout_minutes=15)
    lock.touch(clock.now())
    clock.advance(timedelta(minutes=10))
    lock.touch(clock.now())
    clock.advance(timedelta(minutes=10))
    assert not lock.is_locked(clock.now())
    assert lock.remaining(clock.now()) == timedelta(minutes=5)


def test_activity_while_locked_does_not_unlock_only_unlock_does(clock: FixedClock) -> None:
    lock = IdleLock(timeout_minutes=5)
    lock.touch(clock.now())
    clock.advance(timedelta(minutes=6))
    lock.touch(clock.now())
    assert lock.is_locked(clock.now())
    assert lock.remaining(clock.now()) == timedelta(0)
    lock.unlock(clock.now())
    assert not lock.is_locked(clock.now())
    clock.advance(timedelta(minutes=4))
    assert not lock.is_locked(clock.now())


def test_lock_now(clock: FixedClock) -> None:
    lock = IdleLock()
    lock.lock()
    assert lock.is_locked(clock.now())
