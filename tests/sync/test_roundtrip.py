"""Site database -> package -> data center -> acknowledgement -> site, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from app.sync.center_import import import_package
from app.sync.site_export import export_package
from db.engine import Database
from db.models import AuditRecord, FormData, ItemData, Signature
from tests.sync.conftest import CenterKeys, Site, register
from tests.sync.sitegen import T0, mini_study


def _values(db: Database) -> Counter[tuple[str, str, str | None, str | None, str | None]]:
    with db.session() as s:
        rows = s.execute(
            select(
                FormData.form_oid,
                ItemData.item_oid,
                ItemData.value,
                ItemData.unit,
                ItemData.null_flavor,
            ).join(FormData, ItemData.form_data_id == FormData.id)
        ).all()
    return Counter(tuple(r) for r in rows)


def test_full_round_trip(
    site: Site, center_db: Database, center_keys: CenterKeys, tmp_path: Path
) -> None:
    study = mini_study()
    register(site, center_db, T0)
    with site.db.session() as s:
        first = export_package(s, study, tmp_path / "out", T0 + timedelta(days=1))
    assert first.sequence == 1 and first.includes_metadata
    outcome = import_package(
        center_db, first.path.read_bytes(), center_keys.private, T0 + timedelta(days=2)
    )
    assert outcome.status == "applied"
    site_values = _values(site.db)
    phi_free = Counter({k: v for k, v in site_values.items() if k[1] != "IT.DM.INITIALS"})
    assert _values(center_db) == phi_free
    with center_db.session() as s:
        assert s.scalar(select(func.count(Signature.id))) == 1
        assert s.scalar(select(func.count(AuditRecord.id))) == sum(phi_free.values())
