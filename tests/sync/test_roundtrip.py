"""Site database -> package -> data center -> acknowledgement -> site, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta
from pathlib import Path

from lxml import etree
from sqlalchemy import func, select

from app.sync.center_export import form_tables, write_csv, write_dataset_json
from app.sync.center_import import import_package
from app.sync.center_models import CenterConflict, CenterPackage
from app.sync.center_ops import build_ack, center_status, raise_query
from app.sync.odm_reader import odm_schema
from app.sync.site_ack import import_ack, sync_status
from app.sync.site_export import export_package
from db.audit import AuditContext, set_audit_context, verify_chain
from db.engine import Database
from db.models import (
    AuditRecord,
    FormData,
    ItemData,
    Query,
    Signature,
    StudyEvent,
    Subject,
    SyncBatch,
)
from tests.sync.conftest import CenterKeys, Site, register
from tests.sync.craft import open_payload
from tests.sync.sitegen import T0, edit_values, mini_study

Row = tuple[str, str, str, str | None, str | None, str | None]


def _values(db: Database) -> Counter[Row]:
    with db.session() as s:
        rows = s.execute(
            select(
                FormData.form_oid,
                ItemData.item_group_oid,
                ItemData.item_oid,
                ItemData.value,
                ItemData.unit,
                ItemData.null_flavor,
            ).join(FormData, ItemData.form_data_id == FormData.id)
        ).all()
    return Counter(tuple(r) for r in rows)  # type: ignore[misc]


def _phi_free(c: Counter[Row]) -> Counter[Row]:
    return Counter({k: v for k, v in c.items() if k[2] != "IT.DM.INITIALS"})


def _per_form_and_item(c: Counter[Row]) -> Counter[tuple[str, str]]:
    out: Counter[tuple[str, str]] = Counter()
    for (form, _g, item, *_), n in c.items():
        out[(form, item)] += n
    return out


def test_full_round_trip_then_incremental_then_ack(
    site: Site, center_db: Database, center_keys: CenterKeys, tmp_path: Path
) -> None:
    study = mini_study()
    register(site, center_db, T0)
    with site.db.session() as s:
        first = export_package(s, study, tmp_path / "out", T0 + timedelta(days=1))
    assert first.sequence == 1 and first.includes_metadata and first.prior_file_oid is None

    outcome = import_package(
        center_db, first.path.read_bytes(), center_keys.private, T0 + timedelta(days=2)
    )
    assert outcome.status == "applied"
    expected = _phi_free(_values(site.db))
    got = _values(center_db)
    assert _per_form_and_item(got) == _per_form_and_item(expected)  # counts per form and item
    assert got == expected  # and the values, units and null flavours themselves
    with center_db.session() as c:
        assert c.scalar(select(func.count(Signature.id))) == 1
        assert c.scalar(select(func.count(AuditRecord.id))) == sum(expected.values())
        assert verify_chain(c).ok  # the center's trail verifies with the site's own verifier

    # Second export after edits: only the changes, chained to the first.
    changed = edit_values(site.db, 5, T0 + timedelta(days=3))
    with site.db.session() as s:
        second = export_package(s, study, tmp_path / "out", T0 + timedelta(days=3, hours=1))
    assert second.prior_file_oid == first.file_oid and not second.includes_metadata
    assert second.counts["item_changes"] == len(changed)
    manifest, odm = open_payload(second.path.read_bytes(), center_keys.private)
    assert manifest.prior_file_oid == first.file_oid and manifest.counts["item_changes"] == 5
    root = etree.fromstring(odm)
    assert odm_schema().validate(root)
    ns = {"o": "http://www.cdisc.org/ns/odm/v1.3"}
    items = root.findall(".//o:ItemData", ns)
    assert {i.get("TransactionType") for i in items} == {"Update"}
    assert sorted(i.get("Value") for i in items) == sorted(v for _, v in changed)
    assert all(
        i.find("o:AuditRecord/o:ReasonForChange", ns).text == "transcription error" for i in items
    )
    assert root.find("o:Study", ns) is None and root.get("PriorFileOID") == first.file_oid

    second_outcome = import_package(
        center_db, second.path.read_bytes(), center_keys.private, T0 + timedelta(days=4)
    )
    assert second_outcome.stats.applied == len(changed) and second_outcome.stats.conflicts == 0
    assert _values(center_db) == _phi_free(_values(site.db))

    # The center raises a query; the acknowledgement carries it and marks both packages received.
    with center_db.session() as c:
        set_audit_context(c, AuditContext(None, T0 + timedelta(days=4), 0))
        qid = raise_query(
            c, "FD", "FD-001/SE.COND[-1]/F.LAB/IG.LAB[1]/IT.LB.ANC", "Please confirm ANC", T0
        )
        ack, reached = build_ack(c, "FD", center_keys.private, T0 + timedelta(days=4))
    assert reached == 2
    with site.db.session() as s:
        set_audit_context(s, AuditContext(None, T0 + timedelta(days=5), 480))
        result = import_ack(s, ack, T0 + timedelta(days=5))
    assert result.acknowledged == [1, 2] and result.queries_added == 1
    with site.db.session() as s:
        assert all(b.acknowledged_at is not None for b in s.scalars(select(SyncBatch)))
        query = s.scalars(select(Query).where(Query.query_oid == qid)).one()
        assert query.text == "Please confirm ANC" and query.raised_by is None
        status = sync_status(s, T0 + timedelta(days=6))
    assert status.unacknowledged == [] and not status.warning and status.sequence_reached == 2


def test_same_package_twice_changes_nothing(
    site: Site, center_db: Database, center_keys: CenterKeys, tmp_path: Path
) -> None:
    register(site, center_db, T0)
    with site.db.session() as s:
        pkg = export_package(s, mini_study(), tmp_path, T0 + timedelta(days=1))
    data = pkg.path.read_bytes()
    assert import_package(center_db, data, center_keys.private, T0).status == "applied"
    before = _values(center_db)
    with center_db.session() as c:
        audit_rows = c.scalar(select(func.count(AuditRecord.id)))
    again = import_package(center_db, data, center_keys.private, T0 + timedelta(days=1))
    assert again.status == "duplicate"
    assert _values(center_db) == before
    with center_db.session() as c:
        assert c.scalar(select(func.count(AuditRecord.id))) == audit_rows
        assert c.scalar(select(func.count(CenterPackage.id))) == 1


def test_out_of_order_package_is_held_then_applied(
    site: Site, center_db: Database, center_keys: CenterKeys, tmp_path: Path
) -> None:
    study = mini_study()
    register(site, center_db, T0)
    paths = []
    for n in range(3):
        edit_values(site.db, 2, T0 + timedelta(days=n + 1), seed=n)
        with site.db.session() as s:
            paths.append(
                export_package(s, study, tmp_path, T0 + timedelta(days=n + 1, hours=1)).path
            )
    first, second, third = (p.read_bytes() for p in paths)
    assert import_package(center_db, first, center_keys.private, T0).status == "applied"
    held = import_package(center_db, third, center_keys.private, T0)
    assert held.status == "held"
    with center_db.session() as c:
        assert [r.sequence_reached for r in center_status(c)] == [1]
    late = import_package(center_db, second, center_keys.private, T0)
    assert late.status == "applied" and late.also_applied == [3]
    assert _values(center_db) == _phi_free(_values(site.db))


def test_edit_of_a_value_the_center_changed_goes_to_the_conflict_list(
    site: Site, center_db: Database, center_keys: CenterKeys, tmp_path: Path
) -> None:
    study = mini_study()
    register(site, center_db, T0)
    with site.db.session() as s:
        first = export_package(s, study, tmp_path, T0 + timedelta(days=1))
    import_package(center_db, first.path.read_bytes(), center_keys.private, T0)
    (iid, new_value), *_ = edit_values(site.db, 1, T0 + timedelta(days=2))
    with site.db.session() as s:
        item = s.get(ItemData, iid)
        assert item is not None
        group, item_oid, form_oid = item.item_group_oid, item.item_oid, item.form.form_oid
        repeat, event = item.group_repeat_key, item.form.event
        key = (event.subject.subject_key, event.event_oid, event.repeat_key)
    # A data manager at the center corrected the same value meanwhile.
    with center_db.session() as c:
        set_audit_context(c, AuditContext(None, T0, 0, reason="data management correction"))
        center_item = c.scalars(
            select(ItemData)
            .join(FormData, ItemData.form_data_id == FormData.id)
            .join(StudyEvent, FormData.study_event_id == StudyEvent.id)
            .join(Subject, StudyEvent.subject_id == Subject.id)
            .where(
                ItemData.item_oid == item_oid,
                ItemData.group_repeat_key == repeat,
                FormData.form_oid == form_oid,
                StudyEvent.event_oid == key[1],
                StudyEvent.repeat_key == key[2],
                Subject.subject_key == key[0],
            )
        ).one()
        center_item.value = "99.99"
    with site.db.session() as s:
        second = export_package(s, study, tmp_path, T0 + timedelta(days=2, hours=1))
    outcome = import_package(center_db, second.path.read_bytes(), center_keys.private, T0)
    assert outcome.stats.conflicts == 1 and outcome.stats.applied == 0
    with center_db.session() as c:
        conflict = c.scalars(select(CenterConflict)).one()
        assert conflict.kind == "stale_base" and conflict.center_value == "99.99 10*9/L"
        assert conflict.site_new_value == new_value and group in conflict.path
        assert c.get(ItemData, center_item.id).value == "99.99"  # not overwritten


def test_statistician_tables_csv_and_dataset_json(
    site: Site, center_db: Database, center_keys: CenterKeys, tmp_path: Path
) -> None:
    register(site, center_db, T0)
    with site.db.session() as s:
        pkg = export_package(s, mini_study(), tmp_path / "pkg", T0)
    import_package(center_db, pkg.path.read_bytes(), center_keys.private, T0)
    with center_db.session() as c:
        tables = form_tables(c)
    csv_paths = write_csv(tables, tmp_path / "csv")
    json_paths = write_dataset_json(tables, tmp_path / "json", T0)
    assert sorted(p.name for p in csv_paths) == ["DEMOG.csv", "LAB.csv"]
    lab = json.loads((tmp_path / "json" / "LAB.json").read_text())
    assert lab["datasetJSONVersion"].startswith("1.1") and lab["itemGroupOID"] == "F.LAB"
    assert lab["records"] == len(lab["rows"]) == 3 * 3 * 3  # subjects x days x group rows
    names = [c["name"] for c in lab["columns"]]
    assert names[:2] == ["SITEID", "USUBJID"] and "LB_ANC" in names and "LB_ANC_UNIT" in names
    assert len(json_paths) == 2
