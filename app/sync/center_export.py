"""Data center: one table per form for the statisticians, as CSV or CDISC Dataset-JSON 1.1.

Rows are keyed by site, subject, visit (event OID + repeat key) and item group repeat; one column
per item found in the data (sorted by OID). Dataset-JSON files are built with odmlib's Dataset-JSON
1.1 model. Values are exported as stored (strings); units get a `<item>_UNIT` column when present.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from odmlib.dataset_json_1_1.model import Column, DatasetJSON, SourceSystem
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import __version__
from app.sync.odm_writer import iso
from db.models import FormData, ItemData, StudyEvent, Subject

KEYS = ("SITEID", "USUBJID", "VISIT", "VISITREP", "IGREPEAT")
STUDY_OID = "NCT03835312"


@dataclass
class FormTable:
    form_oid: str
    columns: list[str]  # item OIDs (and <item>_UNIT)
    rows: list[list[str | None]]  # KEYS + columns

    @property
    def name(self) -> str:
        return re.sub(r"[^A-Za-z0-9]", "_", self.form_oid.removeprefix("F."))


def _var(item_oid: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "_", item_oid.removeprefix("IT."))


def form_tables(session: Session) -> list[FormTable]:
    stmt = (
        select(
            FormData.form_oid,
            Subject.site_code,
            Subject.subject_key,
            StudyEvent.event_oid,
            StudyEvent.repeat_key,
            ItemData.group_repeat_key,
            ItemData.item_oid,
            ItemData.value,
            ItemData.unit,
            ItemData.null_flavor,
        )
        .join(FormData, ItemData.form_data_id == FormData.id)
        .join(StudyEvent, FormData.study_event_id == StudyEvent.id)
        .join(Subject, StudyEvent.subject_id == Subject.id)
        .order_by(
            FormData.form_oid, Subject.subject_key, StudyEvent.event_oid, StudyEvent.repeat_key
        )
    )
    data: dict[str, dict[tuple[str, ...], dict[str, str | None]]] = defaultdict(dict)
    columns: dict[str, set[str]] = defaultdict(set)
    for form, site, subj, ev, rep, grep, item, value, unit, nf in session.execute(stmt).yield_per(
        20_000
    ):
        row = data[form].setdefault((site, subj, ev, rep or "", grep or "1"), {})
        row[item] = value if value is not None else (f"[{nf}]" if nf else None)
        columns[form].add(item)
        if unit:
            row[f"{item}_UNIT"] = unit
            columns[form].add(f"{item}_UNIT")
    tables = []
    for form in sorted(data):
        cols = sorted(columns[form])
        rows = [
            [*key, *(values.get(c) for c in cols)]
            for key, values in sorted(data[form].items(), key=lambda kv: kv[0])
        ]
        tables.append(FormTable(form, cols, rows))
    return tables


def write_csv(tables: list[FormTable], out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for table in tables:
        path = out_dir / f"{table.name}.csv"
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow([*KEYS, *(_var(c) for c in table.columns)])
            writer.writerows(table.rows)
        paths.append(path)
    return paths


def write_dataset_json(tables: list[FormTable], out_dir: Path, now: datetime) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for table in tables:
        ds = DatasetJSON(  # type: ignore[no-untyped-call]
            datasetJSONCreationDateTime=iso(now),
            datasetJSONVersion="1.1.0",
            fileOID=f"SEQTX.CENTER.{table.form_oid}",
            originator="SeqTx data center",
            sourceSystem=SourceSystem(name="SeqTx", version=__version__),
            studyOID=STUDY_OID,
            itemGroupOID=table.form_oid,
            records=0,
            name=table.name,
            label=f"Form {table.form_oid}, one row per subject, visit and group repeat",
        )
        for n, key in enumerate(KEYS, 1):
            ds.add_column(
                Column(
                    itemOID=f"IT.KEY.{key}", name=key, label=key, dataType="string", keySequence=n
                )
            )
        for col in table.columns:
            ds.add_column(Column(itemOID=col, name=_var(col), label=col, dataType="string"))
        for row in table.rows:
            ds.add_row(list(row))
        path = out_dir / f"{table.name}.json"
        ds.write_json(str(path))
        paths.append(path)
    return paths
