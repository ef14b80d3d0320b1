"""Data center bookkeeping: register sites, raise queries, build acknowledgements, report status."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.sync.ack import (
    Acknowledgement,
    AckPackage,
    AckQuery,
    ack_filename,
    sign_ack,
    write_ack,
)
from app.sync.center_models import CenterAck, CenterConflict, CenterPackage, CenterSite
from app.sync.keys import CenterPrivateKeys, SitePublicKey
from app.sync.odm_writer import iso
from app.sync.paths import ItemPath, parse_item_path
from db.models import FormData, ItemData, Query, StudyEvent, Subject


class CenterError(Exception):
    """A data-center operation that cannot be done as asked (message is PHI-free)."""


def register_site(session: Session, key: SitePublicKey, now: datetime) -> CenterSite:
    """Register a site's signing key; re-registering the same key is a no-op, another key is refused."""
    site = session.scalars(select(CenterSite).where(CenterSite.site_code == key.site_code)).first()
    if site is not None:
        if bytes(site.signing_key) != key.ed25519:
            raise CenterError(
                f"site {key.site_code} is already registered with another key ({site.fingerprint})"
            )
        return site
    site = CenterSite(
        site_code=key.site_code,
        signing_key=key.ed25519,
        fingerprint=key.fingerprint,
        registered_at=now,
    )
    session.add(site)
    session.flush()
    return site


def _form_id(session: Session, site: str, path: ItemPath) -> int | None:
    return session.scalar(
        select(FormData.id)
        .join(StudyEvent, FormData.study_event_id == StudyEvent.id)
        .join(Subject, StudyEvent.subject_id == Subject.id)
        .where(
            Subject.subject_key == path.subject,
            Subject.site_code == site,
            StudyEvent.event_oid == path.event_oid,
            StudyEvent.repeat_key == path.event_repeat,
            FormData.form_oid == path.form_oid,
        )
    )


def raise_query(session: Session, site: str, item_path: str, text: str, now: datetime) -> str:
    """A query on one item the center has; it travels to the site in the next acknowledgement."""
    path = parse_item_path(item_path)
    if path is None:
        raise CenterError("not an item path (SUBJECT/EVENT[rep]/FORM/GROUP[rep]/ITEM)")
    form_id = _form_id(session, site, path)
    if form_id is None:
        raise CenterError("no such form at the data center for this site")
    oid = f"DCQ.{secrets.token_hex(6)}"
    session.add(
        Query(
            query_oid=oid,
            form_data_id=form_id,
            item_group_oid=path.group_oid,
            group_repeat_key=path.group_repeat,
            item_oid=path.item_oid,
            text=text,
            status="open",
            raised_by=None,
            raised_at=now,
        )
    )
    session.flush()
    return oid


def _center_queries(session: Session, site: str) -> list[AckQuery]:
    stmt = (
        select(
            Query.query_oid,
            Subject.subject_key,
            StudyEvent.event_oid,
            StudyEvent.repeat_key,
            FormData.form_oid,
            Query.item_group_oid,
            Query.group_repeat_key,
            Query.item_oid,
            Query.text,
            Query.raised_at,
        )
        .join(FormData, Query.form_data_id == FormData.id)
        .join(StudyEvent, FormData.study_event_id == StudyEvent.id)
        .join(Subject, StudyEvent.subject_id == Subject.id)
        .where(Subject.site_code == site, Query.raised_by.is_(None))
        .order_by(Query.id)
    )
    return [
        AckQuery(oid, str(ItemPath(subj, ev, rep, form, grp, grep, item)), text, iso(raised))
        for oid, subj, ev, rep, form, grp, grep, item, text, raised in session.execute(stmt)
    ]


def build_ack(
    session: Session, site: str, keys: CenterPrivateKeys, now: datetime
) -> tuple[bytes, int]:
    packages = session.scalars(
        select(CenterPackage)
        .where(CenterPackage.site_code == site)
        .order_by(CenterPackage.sequence)
    ).all()
    reached = 0
    for p in packages:
        if p.status == "applied" and p.sequence == reached + 1:
            reached = p.sequence
    conflicts = session.scalar(
        select(func.count(CenterConflict.id)).where(
            CenterConflict.site_code == site, CenterConflict.resolved.is_(False)
        )
    )
    ack = Acknowledgement(
        site=site,
        created_at=iso(now),
        sequence_reached=reached,
        packages=tuple(AckPackage(p.sequence, p.file_oid, p.sha256, p.status) for p in packages),
        queries=tuple(_center_queries(session, site)),
        open_conflicts=int(conflicts or 0),
    )
    return sign_ack(ack, keys.ed25519), reached


def write_site_ack(
    session: Session, site: str, keys: CenterPrivateKeys, out_dir: Path, now: datetime
) -> Path:
    data, reached = build_ack(session, site, keys, now)
    path = write_ack(data, out_dir, ack_filename(site, reached, now))
    session.add(
        CenterAck(
            site_code=site,
            sequence_reached=reached,
            created_at=now,
            sha256=hashlib.sha256(data).hexdigest(),
        )
    )
    return path


@dataclass(frozen=True)
class SiteStatus:
    site_code: str
    fingerprint: str
    applied: int
    held: list[int]
    sequence_reached: int
    open_conflicts: int
    item_values: int
    last_received: datetime | None


def center_status(session: Session) -> list[SiteStatus]:
    out = []
    for site in session.scalars(select(CenterSite).order_by(CenterSite.site_code)):
        packages = session.scalars(
            select(CenterPackage).where(CenterPackage.site_code == site.site_code)
        ).all()
        applied = sorted(p.sequence for p in packages if p.status == "applied")
        conflicts = session.scalar(
            select(func.count(CenterConflict.id)).where(
                CenterConflict.site_code == site.site_code, CenterConflict.resolved.is_(False)
            )
        )
        values = session.scalar(
            select(func.count(ItemData.id))
            .join(FormData, ItemData.form_data_id == FormData.id)
            .join(StudyEvent, FormData.study_event_id == StudyEvent.id)
            .join(Subject, StudyEvent.subject_id == Subject.id)
            .where(Subject.site_code == site.site_code)
        )
        out.append(
            SiteStatus(
                site.site_code,
                site.fingerprint,
                len(applied),
                sorted(p.sequence for p in packages if p.status == "held"),
                max(applied, default=0),
                int(conflicts or 0),
                int(values or 0),
                max((p.received_at for p in packages), default=None),
            )
        )
    return out


def utcnow() -> datetime:
    return datetime.now(UTC)
