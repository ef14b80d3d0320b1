"""Every Database object audits its writes, however many were created and dropped before it.

The listener used to be installed only when SQLAlchemy's event registry did not already list it
for the session factory; that registry is keyed by id(), so a new factory that reused the id of a
collected one was skipped and its saves wrote no audit rows.
"""

from __future__ import annotations

import gc

from sqlalchemy import func, select

from db.audit import AuditContext
from db.engine import Database
from db.models import AuditRecord
from tests.db.forms import save_form

ROUNDS = 300


def test_each_new_database_object_writes_audit_rows(site_db: Database, ctx: AuditContext) -> None:
    engine, path = site_db.engine, site_db.path
    missing: list[int] = []
    for n in range(ROUNDS):
        db = Database(engine, path)
        with db.session() as session:
            before = session.scalar(select(func.count()).select_from(AuditRecord)) or 0
        save_form(db, ctx, "FD-001", "SE.POST", str(n), "F.VS", {("IG.VS", "1", "IT.V1"): f"{n}"})
        with db.session() as session:
            after = session.scalar(select(func.count()).select_from(AuditRecord)) or 0
        if after <= before:
            missing.append(n)
        del db
        gc.collect()
    assert missing == [], f"saves without audit rows in rounds {missing[:10]}"
