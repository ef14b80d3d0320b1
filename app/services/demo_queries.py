"""Demo data queries: a few queries on stored blood counts, in each state (open, answered,
closed), so the query list, the item and the worklist have something to show."""

from __future__ import annotations

from sqlalchemy import select

from app.services.demo import DemoContext
from app.services.permissions import Role
from app.services.queries import answer_query, close_query, raise_query
from db.models import FormData, StudyEvent, Subject

FBC_ANC = ("IG.FBC", "1", "IT.LB.ANC")
QUESTION = "ANC differs from the laboratory report. Please check the source document."
ANSWER = "Checked against the laboratory report: value corrected."


def add_demo_queries(ctx: DemoContext, how_many: int = 3) -> None:
    """Raise `how_many` queries (data manager) on the earliest stored blood counts of different
    subjects; the second is answered by a nurse, the third answered and closed."""
    ws = ctx.workspace
    manager, nurse = ctx.users[Role.DATA_MANAGER], ctx.users[Role.NURSE]
    with ws.db.session() as session:
        rows = session.execute(
            select(Subject.subject_key, StudyEvent.event_oid, StudyEvent.repeat_key)
            .join(StudyEvent, StudyEvent.subject_id == Subject.id)
            .join(FormData, FormData.study_event_id == StudyEvent.id)
            .where(FormData.form_oid == "F.FBC")
            .order_by(Subject.subject_key, FormData.id)
        ).all()
    targets: dict[str, tuple[str, str]] = {}
    for subject_key, event_oid, repeat_key in rows:
        targets.setdefault(subject_key, (event_oid, repeat_key))
    for n, (subject_key, (event_oid, repeat_key)) in enumerate(list(targets.items())[:how_many]):
        row = raise_query(ws, manager, subject_key, event_oid, repeat_key, "F.FBC", FBC_ANC,
                          QUESTION)  # fmt: skip
        if n >= 1:
            answer_query(ws, nurse, row.query_oid, ANSWER)
        if n >= 2:
            close_query(ws, manager, row.query_oid)
