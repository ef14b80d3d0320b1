"""Streams one ODM 1.3.2 Transactional document: Study (optional), AdminData, ClinicalData.

ClinicalData carries one ItemData per audited change, each with its AuditRecord, in audit order;
consecutive changes share their SubjectData/StudyEventData/FormData/ItemGroupData containers.
Written with lxml's incremental `xmlfile`, so memory stays flat for a million values.

SeqTx conventions inside valid ODM (no vendor extension, so the official schema validates it):
- the value an update replaced travels as an Annotation whose Flag is PRIOR_VALUE (Comment = the
  old value; no Comment = it was empty); the data center uses it to detect conflicts;
- a null flavour (e.g. NASK) travels as an Annotation Flag in code list CL.SEQTX.NULLFLAVOR;
- AuditRecord/SourceID is `AUDIT.<site audit row id>`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Protocol

from lxml import etree

from app.study.model import StudyDefinition
from app.sync.odm_metadata import ODM_NS, q, study_element, unit_oid
from app.sync.paths import ItemPath

ANNOTATION_CODELIST = "CL.SEQTX.ANNOTATION"
NULLFLAVOR_CODELIST = "CL.SEQTX.NULLFLAVOR"
PRIOR_FLAG = "PRIOR_VALUE"
SYSTEM_USER_OID = "USR.SYSTEM"
TX_BY_ACTION = {"insert": "Insert", "update": "Update", "delete": "Remove"}


class Sink(Protocol):
    def write(self, data: bytes) -> object: ...


@dataclass(slots=True)
class Change:
    audit_id: int
    path: ItemPath
    action: str  # insert | update | delete
    new_value: str | None
    old_value: str | None
    user_oid: str
    ts: datetime
    reason: str | None
    unit: str | None = None
    null_flavor: str | None = None
    offset_minutes: int = 0  # the workstation's UTC offset when the change was made


@dataclass(slots=True)
class SignatureOut:
    form_key: tuple[str, str, str, str]  # subject, event OID, event repeat, form OID
    user_oid: str
    meaning: str
    signed_at: datetime


@dataclass
class DocumentInfo:
    file_oid: str
    prior_file_oid: str | None
    created: datetime
    as_of: datetime
    study_oid: str
    mdv_oid: str
    site_code: str
    source_version: str


@dataclass
class Counts:
    subjects: int = 0
    item_changes: int = 0
    audit_records: int = 0
    signatures: int = 0
    users: int = 0
    subject_keys: set[str] = field(default_factory=set)

    def as_dict(self) -> dict[str, int]:
        return {
            "subjects": len(self.subject_keys),
            "item_changes": self.item_changes,
            "audit_records": self.audit_records,
            "signatures": self.signatures,
            "users": self.users,
        }


def iso(ts: datetime) -> str:
    """UTC ISO 8601 with a Z; naive datetimes (SQLite) are UTC by convention."""
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=UTC)
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S") + "Z"


def iso_local(ts: datetime, offset_minutes: int) -> str:
    """Local time with its offset (ODM datetime allows it): keeps both UTC and the offset."""
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=UTC)
    local = ts.astimezone(timezone(timedelta(minutes=offset_minutes)))
    return local.isoformat(timespec="seconds").replace("+00:00", "Z")


def signature_def_oid(meaning: str) -> str:
    return "SD." + "".join(c if c.isalnum() else "_" for c in meaning).upper()


def location_oid(site_code: str) -> str:
    return f"LOC.{site_code}"


def _user_type(role: str) -> str:
    return "Investigator" if role == "investigator" else "Other"


def _admin_data(
    info: DocumentInfo, users: Iterable[tuple[str, str]], meanings: Iterable[str]
) -> tuple[etree._Element, int]:
    admin = etree.Element(q("AdminData"), StudyOID=info.study_oid, nsmap={None: ODM_NS})
    n_users = 0
    for user_oid, role in [(SYSTEM_USER_OID, "system"), *users]:
        # Pseudonymous: the OID and the kind of user only, never a login name or a person's name.
        etree.SubElement(admin, q("User"), OID=user_oid, UserType=_user_type(role))
        n_users += 1
    loc = etree.SubElement(
        admin,
        q("Location"),
        OID=location_oid(info.site_code),
        Name=info.site_code,
        LocationType="Site",
    )
    etree.SubElement(
        loc,
        q("MetaDataVersionRef"),
        StudyOID=info.study_oid,
        MetaDataVersionOID=info.mdv_oid,
        EffectiveDate=info.created.date().isoformat(),
    )
    for meaning in sorted(set(meanings)):
        sd = etree.SubElement(
            admin, q("SignatureDef"), OID=signature_def_oid(meaning), Methodology="Electronic"
        )
        etree.SubElement(sd, q("Meaning")).text = meaning
        etree.SubElement(sd, q("LegalReason")).text = "21 CFR Part 11 electronic signature"
    return admin, n_users


_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\n": "&#10;",
        "\r": "&#13;",
        "\t": "&#9;",
    }
)
# Characters XML 1.0 cannot carry even as references: replaced so one bad value cannot block sync.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def esc(text: str) -> str:
    """Escape for an attribute or element text (double-quoted attributes)."""
    if _NOT_XML.search(text):
        text = _NOT_XML.sub("\ufffd", text)
    return text.translate(_ESCAPES)


def _item_data(change: Change, location: str) -> str:
    """One ItemData as text: building lxml elements for a million values is 5x slower."""
    tx = TX_BY_ACTION[change.action]
    value = ""
    if change.action != "delete":
        value = ' IsNull="Yes"' if change.new_value is None else f' Value="{esc(change.new_value)}"'
    parts = [
        f'<ItemData ItemOID="{esc(change.path.item_oid)}" TransactionType="{tx}"{value}>'
        f'<AuditRecord><UserRef UserOID="{esc(change.user_oid)}"/>'
        f'<LocationRef LocationOID="{location}"/><DateTimeStamp>{iso_local(change.ts, change.offset_minutes)}</DateTimeStamp>'
    ]
    if change.reason:
        parts.append(f"<ReasonForChange>{esc(change.reason)}</ReasonForChange>")
    parts.append(f"<SourceID>AUDIT.{change.audit_id}</SourceID></AuditRecord>")
    if change.unit and change.action != "delete":
        parts.append(f'<MeasurementUnitRef MeasurementUnitOID="{esc(unit_oid(change.unit))}"/>')
    seq = 0
    if change.action != "insert":
        seq += 1
        comment = (
            ""
            if change.old_value is None
            else f'<Comment SponsorOrSite="Site">{esc(change.old_value)}</Comment>'
        )
        parts.append(
            f'<Annotation SeqNum="{seq}">{comment}<Flag><FlagValue CodeListOID='
            f'"{ANNOTATION_CODELIST}">{PRIOR_FLAG}</FlagValue></Flag></Annotation>'
        )
    if change.null_flavor and change.new_value is None and change.action != "delete":
        seq += 1
        parts.append(
            f'<Annotation SeqNum="{seq}"><Flag><FlagValue CodeListOID="{NULLFLAVOR_CODELIST}">'
            f"{esc(change.null_flavor)}</FlagValue></Flag></Annotation>"
        )
    parts.append("</ItemData>")
    return "".join(parts)


def write_document(
    sink: Sink,
    info: DocumentInfo,
    study: StudyDefinition | None,
    users: list[tuple[str, str]],
    meanings: list[str],
    changes: Iterable[Change],
    signatures: Iterable[SignatureOut],
) -> Counts:
    """Write the document to `sink`; `study` is given when the metadata must be included."""
    counts = Counts()
    location = location_oid(info.site_code)
    root_attrs = {
        "FileType": "Transactional",
        "Granularity": "SingleSite",
        "FileOID": info.file_oid,
        "CreationDateTime": iso(info.created),
        "AsOfDateTime": iso(info.as_of),
        "ODMVersion": "1.3.2",
        "Originator": f"SeqTx site {info.site_code}",
        "SourceSystem": "SeqTx",
        "SourceSystemVersion": info.source_version,
    }
    if info.prior_file_oid:
        root_attrs["PriorFileOID"] = info.prior_file_oid
    with etree.xmlfile(sink, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(q("ODM"), root_attrs, nsmap={None: ODM_NS}):
            if study is not None:
                xf.write(study_element(study))
            admin, counts.users = _admin_data(info, users, meanings)
            xf.write(admin)
            with xf.element(
                q("ClinicalData"), StudyOID=info.study_oid, MetaDataVersionOID=info.mdv_oid
            ):
                _write_changes(xf, sink, changes, counts, location)
                _write_signatures(xf, signatures, counts, location)
    return counts


def _write_changes(
    xf: etree._IncrementalFileWriter,
    sink: Sink,
    changes: Iterable[Change],
    counts: Counts,
    location: str,
) -> None:
    """Containers through xmlfile; item groups as escaped text straight to the sink after a flush."""
    subject_ctx, form_ctx = ExitStack(), ExitStack()
    open_form: tuple[str, str, str, str] | None = None
    open_subject: str | None = None
    group_key: tuple[str, str] | None = None
    buffer: list[str] = []

    def close_group() -> None:
        if buffer:
            buffer.append("</ItemGroupData>")
            xf.flush()
            sink.write("".join(buffer).encode("utf-8"))
            buffer.clear()

    for change in changes:
        path = change.path
        if path.form_key != open_form:
            close_group()
            group_key = None
            form_ctx.close()
            if path.subject != open_subject:
                subject_ctx.close()
                subject_ctx = ExitStack()
                subject_ctx.enter_context(
                    xf.element(q("SubjectData"), SubjectKey=path.subject, TransactionType="Upsert")
                )
                xf.write(etree.Element(q("SiteRef"), LocationOID=location, nsmap={None: ODM_NS}))
                open_subject = path.subject
                counts.subject_keys.add(path.subject)
            form_ctx = ExitStack()
            ev_attrs = {"StudyEventOID": path.event_oid, "TransactionType": "Upsert"}
            if path.event_repeat:
                ev_attrs["StudyEventRepeatKey"] = path.event_repeat
            form_ctx.enter_context(xf.element(q("StudyEventData"), ev_attrs))
            form_ctx.enter_context(
                xf.element(q("FormData"), FormOID=path.form_oid, TransactionType="Upsert")
            )
            open_form = path.form_key
        if (path.group_oid, path.group_repeat) != group_key:
            close_group()
            buffer.append(
                f'<ItemGroupData ItemGroupOID="{esc(path.group_oid)}" '
                f'ItemGroupRepeatKey="{esc(path.group_repeat)}" TransactionType="Upsert">'
            )
            group_key = (path.group_oid, path.group_repeat)
        buffer.append(_item_data(change, location))
        counts.item_changes += 1
        counts.audit_records += 1
    close_group()
    form_ctx.close()
    subject_ctx.close()


def _write_signatures(
    xf: etree._IncrementalFileWriter,
    signatures: Iterable[SignatureOut],
    counts: Counts,
    location: str,
) -> None:
    for sig in signatures:
        subject, event_oid, event_repeat, form_oid = sig.form_key
        counts.subject_keys.add(subject)
        el = etree.Element(
            q("SubjectData"), SubjectKey=subject, TransactionType="Upsert", nsmap={None: ODM_NS}
        )
        etree.SubElement(el, q("SiteRef"), LocationOID=location)
        ev_attrs = {"StudyEventOID": event_oid, "TransactionType": "Upsert"}
        if event_repeat:
            ev_attrs["StudyEventRepeatKey"] = event_repeat
        ev = etree.SubElement(el, q("StudyEventData"), ev_attrs)
        form = etree.SubElement(ev, q("FormData"), FormOID=form_oid, TransactionType="Upsert")
        s = etree.SubElement(form, q("Signature"))
        etree.SubElement(s, q("UserRef"), UserOID=sig.user_oid)
        etree.SubElement(s, q("LocationRef"), LocationOID=location)
        etree.SubElement(s, q("SignatureRef"), SignatureOID=signature_def_oid(sig.meaning))
        etree.SubElement(s, q("DateTimeStamp")).text = iso(sig.signed_at)
        xf.write(el)
        counts.signatures += 1
