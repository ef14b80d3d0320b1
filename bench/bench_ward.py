"""Ward figures (issue 4) on a demo database of 500 subjects at every treatment stage.

- the worklist (build_worklist: three queries and the domain rules for every active subject),
  target < 100 ms, also as a ratio to the bare SQL of the same three queries in the same run;
- a subject page's data (stage_view + subject_overview of the subject with the largest record),
  target < 150 ms;
- the engraftment page's data (summary with the chart series, the count grid, chimerism, aGVHD),
  target < 200 ms.
Each is the median of several runs with the spread (max - min). Building the demo is reported
too (not a target: `seqtx demo` does it once). SEQTX_BENCH_WARD_SUBJECTS overrides the 500.
"""

from __future__ import annotations

import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import keyring
from keyring.backends import fail
from sqlalchemy import func, select

from app.domain.clock import FixedClock
from app.services.auth import login
from app.services.demo import create_demo_site
from app.services.demo_ward import populate_ward_demo
from app.services.stage_engraftment import (
    agvhd_assessments,
    chimerism_results,
    daily_counts,
    engraftment_summary,
)
from app.services.stage_facts import stage_view
from app.services.subjects import subject_overview
from app.services.worklist import ACTIVE_STAGES, build_worklist, item_statement
from bench.report import Report, timed
from db.models import FormData, ItemData, Query, StudyEvent, Subject

PASSWORD = "bench passphrase for the demo site"
SUBJECTS = int(os.environ.get("SEQTX_BENCH_WARD_SUBJECTS", "500"))
RUNS = 15


def run(report: Report) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    try:
        with tempfile.TemporaryDirectory(prefix="seqtx-bench-ward-") as tmp:
            _run(report, Path(tmp) / "demo.db")
    finally:
        keyring.set_keyring(previous)


def _run(report: Report, path: Path) -> None:
    clock = FixedClock(datetime(2026, 11, 24, 1, tzinfo=UTC))
    started = time.perf_counter()
    result = create_demo_site(path, 0, PASSWORD, clock, steps=[])
    ws = result.workspace
    try:
        scenarios = populate_ward_demo(ws, clock, SUBJECTS)
        build_s = time.perf_counter() - started
        with ws.db.session() as session:
            items = session.scalar(select(func.count()).select_from(ItemData)) or 0
        size_mb = path.stat().st_size / 1e6
        report.add("ward: build demo database", build_s, "s",
                   note=f"{SUBJECTS} subjects, {items} items, {size_mb:.0f} MB")  # fmt: skip
        nurse = login(ws, "nurse", PASSWORD)

        def bare() -> None:
            with ws.db.engine.connect() as conn:
                conn.execute(
                    select(Subject.id, Subject.subject_key, Subject.stage).where(
                        Subject.stage.in_(ACTIVE_STAGES)
                    )
                ).all()
                conn.execute(item_statement()).all()
                conn.execute(
                    select(StudyEvent.subject_id, func.count(Query.id))
                    .join(FormData, Query.form_data_id == FormData.id)
                    .join(StudyEvent, FormData.study_event_id == StudyEvent.id)
                    .where(Query.status != "closed")
                    .group_by(StudyEvent.subject_id)
                ).all()

        rows = build_worklist(ws, nurse)
        base, base_spread, _ = timed(bare, runs=RUNS, warmup=2)
        median, spread, _ = timed(lambda: build_worklist(ws, nurse), runs=RUNS, warmup=2)
        report.add("ward: build worklist", median, "ms", target=100, baseline=base,
                   spread=spread, note=f"{len(rows)} active subjects; baseline = bare SQL "
                   f"({base:.1f} ms, spread {base_spread:.1f})")  # fmt: skip

        biggest = _largest_subject(ws)
        median, spread, _ = timed(
            lambda: (stage_view(ws, nurse, biggest), subject_overview(ws, nurse, biggest)),
            runs=RUNS,
        )
        report.add("ward: open subject page (stage view + overview)", median, "ms", target=150,
                   spread=spread, note=f"{biggest}, {scenarios[biggest]}")  # fmt: skip

        engrafting = next(k for k, v in scenarios.items() if v == "agvhd_grade2")

        def engraftment_page() -> None:
            engraftment_summary(ws, nurse, engrafting)
            daily_counts(ws, nurse, engrafting)
            chimerism_results(ws, nurse, engrafting)
            agvhd_assessments(ws, nurse, engrafting)

        median, spread, _ = timed(engraftment_page, runs=RUNS)
        report.add(
            "ward: engraftment page data",
            median,
            "ms",
            target=200,
            spread=spread,
            note=f"{engrafting}: summary + chart series + grid + chimerism + aGVHD",
        )
    finally:
        ws.close()


def _largest_subject(ws: object) -> str:
    from app.services.workspace import Workspace

    assert isinstance(ws, Workspace)
    with ws.db.session() as session:
        row = session.execute(
            select(Subject.subject_key, func.count(ItemData.id))
            .join(StudyEvent, StudyEvent.subject_id == Subject.id)
            .join(FormData, FormData.study_event_id == StudyEvent.id)
            .join(ItemData, ItemData.form_data_id == FormData.id)
            .group_by(Subject.id)
            .order_by(func.count(ItemData.id).desc())
            .limit(1)
        ).one()
    return str(row[0])
