"""Ward figures (issue 4) on a demo database of 500 subjects at every treatment stage.

- the worklist (build_worklist: three queries and the domain rules for every active subject),
  target < 100 ms, also as a ratio to the bare SQL of the same three queries in the same run;
- a subject page's data (stage_view + subject_overview of the subject with the largest record),
  target < 150 ms;
- the engraftment page's data (summary with the chart series, the count grid, chimerism, aGVHD),
  target < 200 ms.
Each is the median of several runs with the spread (max - min). The worklist is timed after a
save (what the ward sees all day: the changed subject is re-read) and, once, as the first build
of a session (every subject read). Building the demo takes minutes, so the database is kept in
the temp directory per version of the demo code. SEQTX_BENCH_WARD_SUBJECTS overrides the 500.
"""

from __future__ import annotations

import hashlib
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import keyring
from keyring.backends import fail
from sqlalchemy import func, select

from app.domain.clock import FixedClock
from app.services.auth import login
from app.services.demo import create_demo_site
from app.services.demo_ward import SCENARIOS, populate_ward_demo
from app.services.forms import save_form
from app.services.stage_engraftment import (
    agvhd_assessments,
    chimerism_results,
    daily_counts,
    engraftment_summary,
)
from app.services.stage_facts import stage_view
from app.services.subjects import subject_overview
from app.services.worklist import ACTIVE_STAGES, build_worklist, item_statement
from app.services.workspace import Workspace
from app.study.loader import default_study
from bench.report import Report, timed
from db.engine import Database, create_sqlcipher_engine
from db.models import FormData, ItemData, Query, StudyEvent, Subject

PASSWORD = "bench passphrase for the demo site"
SUBJECTS = int(os.environ.get("SEQTX_BENCH_WARD_SUBJECTS", "500"))
RUNS = 15


def run(report: Report) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    try:
        path, build_s = demo_database()
        key = path.with_suffix(".key").read_bytes()
        clock = FixedClock(datetime(2026, 11, 24, 1, tzinfo=UTC))
        ws = Workspace(Database(create_sqlcipher_engine(path, key), path), default_study(),
                       clock, path)  # fmt: skip
        try:
            _run(report, ws, clock, path, build_s)
        finally:
            ws.close()
    finally:
        keyring.set_keyring(previous)


def demo_database() -> tuple[Path, float | None]:
    """The 500-subject demo, built once per version of the demo code (it takes minutes) and kept
    in the temp directory with its raw key beside it (synthetic data only)."""
    digest = hashlib.sha256()
    for module in ("demo_ward.py", "derived.py"):
        digest.update(Path(__file__).parent.parent.joinpath("app", "services", module).read_bytes())
    directory = (
        Path(tempfile.gettempdir()) / f"seqtx-bench-ward-{digest.hexdigest()[:12]}-{SUBJECTS}"
    )
    path = directory / "demo.db"
    if path.exists() and path.with_suffix(".key").exists():
        return path, None
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("demo.*"):
        old.unlink()
    clock = FixedClock(datetime(2026, 11, 24, 1, tzinfo=UTC))
    started = time.perf_counter()
    result = create_demo_site(path, 0, PASSWORD, clock, steps=[])
    try:
        populate_ward_demo(result.workspace, clock, SUBJECTS)
        key_file = path.with_suffix(".key")
        key_file.write_bytes(result.workspace.key)
        key_file.chmod(0o600)
    finally:
        result.workspace.close()
    return path, time.perf_counter() - started


def _run(
    report: Report, ws: Workspace, clock: FixedClock, path: Path, build_s: float | None
) -> None:
    with ws.db.session() as session:
        items = session.scalar(select(func.count()).select_from(ItemData)) or 0
        scenarios = {
            k: SCENARIOS[(int(k.rsplit("-", 1)[1]) - 1) % len(SCENARIOS)].name
            for k in session.scalars(select(Subject.subject_key))
        }
    size_mb = path.stat().st_size / 1e6
    report.add(
        "ward: build demo database", build_s if build_s is not None else 0.0, "s",
        note=(f"{SUBJECTS} subjects, {items} items, {size_mb:.0f} MB"
              + ("" if build_s is not None else "; cached from an earlier run")),
    )  # fmt: skip
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

    started = time.perf_counter()
    rows = build_worklist(ws, nurse)
    cold = (time.perf_counter() - started) * 1000
    engrafting = next(k for k, v in scenarios.items() if v == "agvhd_grade2")
    n = 0

    def save_then_worklist() -> None:
        nonlocal n
        n += 1
        clock.advance(timedelta(seconds=5))
        save_form(
            ws,
            nurse,
            engrafting,
            "SE.POST",
            "3",
            "F.FBC",
            {("IG.FBC", "1", "IT.LB.HGB"): str(80 + n % 20)},
            reason="bench correction",
        )
        started = time.perf_counter()
        build_worklist(ws, nurse)
        samples.append((time.perf_counter() - started) * 1000)

    samples: list[float] = []
    base, base_spread, _ = timed(bare, runs=RUNS, warmup=2)
    for _ in range(RUNS):
        save_then_worklist()
    median = statistics.median(samples)
    report.add("ward: build worklist (after a save)", median, "ms", target=100, baseline=base,
               spread=max(samples) - min(samples),
               note=f"{len(rows)} active subjects; baseline = bare SQL of the worklist rows "
               f"({base:.0f} ms, spread {base_spread:.0f}); the changed subject is re-read")  # fmt: skip
    report.add("ward: build worklist (first of a session)", cold, "ms", baseline=base,
               note="reads and parses every active subject's worklist items once")  # fmt: skip

    biggest = _largest_subject(ws)
    median, spread, _ = timed(
        lambda: (stage_view(ws, nurse, biggest), subject_overview(ws, nurse, biggest)),
        runs=RUNS,
    )
    report.add(
        "ward: open subject page (stage view + overview)",
        median,
        "ms",
        target=150,
        spread=spread,
        note=f"{biggest} ({scenarios[biggest]}), the largest record",
    )

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


def _largest_subject(ws: Workspace) -> str:
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
