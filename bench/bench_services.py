"""Service-level figures (issue 2): what a user waits for through app.services, on a demo site.

Saving a 20-item form through forms.save_form (validation against the study definition, one
audit row per changed item, signature invalidation, BEGIN IMMEDIATE commit with synchronous=FULL),
loading a form, a subject's overview, and a login (Argon2id verification: slow on purpose).
The ORM-level figures on 500 subjects are in bench_storage.
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import keyring
from keyring.backends import fail

from app.domain.clock import FixedClock
from app.services.auth import login
from app.services.demo import create_demo_site
from app.services.forms import ItemKey, load_form, save_form
from app.services.subjects import subject_overview
from app.study.model import Form, StudyDefinition
from bench.report import Report, percentile, timed

PASSWORD = "bench passphrase for the demo site"
SUBJECTS = 20
SAVES = 40
FORM_ITEMS = 20


def _numeric_form(study: StudyDefinition) -> tuple[str, str, Form, list[ItemKey]]:
    """An event/form with at least 20 typed-in numeric items (rows 1-5 of repeating groups)."""
    for event in study.events:
        for form_oid in event.forms:
            form = study.forms[form_oid]
            keys = [
                (g.oid, str(row), i.oid)
                for g in form.groups
                for row in range(1, 6 if g.repeating else 2)
                for i in g.items
                if i.data_type in ("integer", "float") and not i.derived and not i.phi
            ]
            if len(keys) >= FORM_ITEMS and event.repeat == "none":
                return event.oid, form_oid, form, keys[:FORM_ITEMS]
    raise RuntimeError("the study has no form with 20 numeric items")


def _value(study: StudyDefinition, key: ItemKey, n: int) -> str:
    item = study.item(key[2])
    bounds = item.soft_range or item.hard_range
    low = bounds.low if bounds is not None and bounds.low is not None else 0.0
    high = bounds.high if bounds is not None and bounds.high is not None else low + 100
    value = low + (high - low) * ((n % 7) + 1) / 9
    return str(round(value)) if item.data_type == "integer" else f"{value:.1f}"


def run(report: Report) -> None:
    previous = keyring.get_keyring()
    # No OS keyring needed: the bench opens what it made.
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    try:
        with tempfile.TemporaryDirectory(prefix="seqtx-bench-services-") as tmp:
            _run(report, Path(tmp) / "demo.db")
    finally:
        keyring.set_keyring(previous)


def _run(report: Report, path: Path) -> None:
    clock = FixedClock(datetime(2026, 11, 24, 1, tzinfo=UTC))
    result = create_demo_site(path, SUBJECTS, PASSWORD, clock)
    ws = result.workspace
    try:
        study = ws.require_study()
        event_oid, form_oid, _form, keys = _numeric_form(study)
        nurse = login(ws, "nurse", PASSWORD)
        subject = "FD-001"
        samples: list[float] = []
        for n in range(SAVES + 1):
            clock.advance(timedelta(seconds=30))
            values: dict[ItemKey, str | None] = {
                k: _value(study, k, n + i) for i, k in enumerate(keys)
            }
            start = time.perf_counter()
            save_form(
                ws, nurse, subject, event_oid, "", form_oid, values,
                reason=None if n == 0 else "bench correction",
            )  # fmt: skip
            if n:  # the first save creates the rows; the rest change all 20 items
                samples.append((time.perf_counter() - start) * 1000)
        report.add(
            "services: save 20-item form (p50)",
            percentile(samples, 50),
            "ms",
            note=f"{form_oid}, 20 audit rows",
        )
        report.add("services: save 20-item form (p95)", percentile(samples, 95), "ms", target=50)
        median, spread, _ = timed(lambda: load_form(ws, nurse, subject, event_oid, "", form_oid))
        report.add("services: load one form", median, "ms", target=20, spread=spread)
        median, spread, _ = timed(lambda: subject_overview(ws, nurse, subject))
        report.add("services: subject overview", median, "ms", target=100, spread=spread)
        median, spread, _ = timed(lambda: login(ws, "nurse", PASSWORD), runs=5)
        report.add(
            "services: login (Argon2id verify)", median, "ms", target=1000, spread=spread,
            note="deliberately slow: RFC 9106 cost",
        )  # fmt: skip
    finally:
        ws.close()
