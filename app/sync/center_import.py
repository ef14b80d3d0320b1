"""Data center: import one sync package, all-or-nothing.

Order matters: the outer layout and the signature against the registered site key are checked
before anything is decrypted; then the manifest, the chain (PriorFileOID), and only then the ODM is
parsed, validated and applied in one database transaction. Nothing is written to disk here. A
package received twice (same bytes) changes nothing; a different package under a known sequence
number or FileOID is refused as a replay; a package whose prior has not arrived is validated and
held, and applied as soon as the chain reaches it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select, text
from sqlalchemy.orm import Session

from app.sync.center_apply import Applier, ApplyStats
from app.sync.center_models import CenterPackage, CenterSite
from app.sync.container import decrypt, read_header, verify_signature
from app.sync.errors import SyncRejected
from app.sync.gc_pause import cyclic_gc_paused
from app.sync.keys import CenterPrivateKeys
from app.sync.odm_reader import DocumentHead, ItemTx, SignatureTx, read_document
from app.sync.parallel_read import read_document_parallel, use_reader_process
from app.sync.payload import Inflater, Manifest, split_payload
from db.engine import Database

MAX_PACKAGE_BYTES = 2 * 1024**3


@dataclass
class ImportOutcome:
    site: str
    sequence: int
    file_oid: str
    status: str  # applied | held | duplicate
    stats: ApplyStats = field(default_factory=ApplyStats)
    also_applied: list[int] = field(default_factory=list)  # held sequences applied after it


class _Validator:
    """A handler that only lets the parser validate (for packages that are held)."""

    def admin(self, head: DocumentHead) -> None:
        return None

    def item(self, tx: ItemTx) -> None:
        return None

    def signature(self, tx: SignatureTx) -> None:
        return None


@dataclass
class _Opened:
    manifest: Manifest
    plaintext: bytes
    sha256: str


def open_package(data: bytes, site_key: bytes | None, keys: CenterPrivateKeys) -> _Opened:
    """Verify (first), decrypt and check the manifest against the signed header."""
    if len(data) > MAX_PACKAGE_BYTES:
        raise SyncRejected("container.too_large")
    header, start = read_header(data)
    if site_key is None:
        raise SyncRejected("site.unknown", f"site {header.site!r}")
    verify_signature(data, site_key)
    plaintext = decrypt(data, header, start, keys)
    manifest, _ = split_payload(plaintext)
    if (manifest.site, manifest.sequence, manifest.file_oid) != (
        header.site,
        header.sequence,
        header.file_oid,
    ):
        raise SyncRejected("manifest.mismatch", "site, sequence or FileOID")
    return _Opened(manifest, plaintext, hashlib.sha256(data).hexdigest())


def site_from_header(data: bytes) -> str:
    header, _ = read_header(data)
    return header.site


def import_package(
    db: Database, data: bytes, keys: CenterPrivateKeys, now: datetime
) -> ImportOutcome:
    """Import one package file's bytes; raises SyncRejected (database unchanged) when refused."""
    if len(data) > MAX_PACKAGE_BYTES:
        raise SyncRejected("container.too_large")
    site_code = site_from_header(data)
    with db.session() as session:
        site = session.scalars(select(CenterSite).where(CenterSite.site_code == site_code)).first()
        site_key = None if site is None else bytes(site.signing_key)
    opened = open_package(data, site_key, keys)
    with db.session() as session, cyclic_gc_paused():
        _lock(session)
        return _import_opened(session, opened, now)


def _lock(session: Session) -> None:
    """One import at a time (SQLite: BEGIN IMMEDIATE already holds the write lock)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE center_packages IN SHARE ROW EXCLUSIVE MODE"))


def _import_opened(session: Session, opened: _Opened, now: datetime) -> ImportOutcome:
    m = opened.manifest
    outcome = ImportOutcome(m.site, m.sequence, m.file_oid, "applied")
    known = session.scalars(
        select(CenterPackage).where(
            CenterPackage.site_code == m.site,
            or_(CenterPackage.sequence == m.sequence, CenterPackage.file_oid == m.file_oid),
        )
    ).all()
    if known:
        if all(p.sha256 == opened.sha256 for p in known):
            outcome.status = "duplicate"
            return outcome
        raise SyncRejected("chain.replay", f"sequence {m.sequence}")
    last = _last_applied(session, m.site)
    last_seq, last_oid = (0, None) if last is None else (last.sequence, last.file_oid)
    if m.sequence <= last_seq:
        raise SyncRejected("chain.broken", f"sequence {m.sequence} is behind {last_seq}")
    if m.sequence > last_seq + 1:
        _, compressed = split_payload(opened.plaintext)
        read_document(Inflater(compressed), m, _Validator())
        session.add(_package_row(m, opened.sha256, "held", now, opened.plaintext))
        outcome.status = "held"
        return outcome
    if m.prior_file_oid != last_oid:
        raise SyncRejected("chain.broken", "PriorFileOID does not name the last package received")
    outcome.stats = _apply(session, m, opened.plaintext, now)
    session.add(_package_row(m, opened.sha256, "applied", now, None, outcome.stats.applied))
    session.flush()
    outcome.also_applied = _apply_held(session, m.site, m.sequence, m.file_oid, now)
    return outcome


def _package_row(
    m: Manifest, sha: str, status: str, now: datetime, payload: bytes | None, applied: int = 0
) -> CenterPackage:
    return CenterPackage(
        site_code=m.site,
        sequence=m.sequence,
        file_oid=m.file_oid,
        prior_file_oid=m.prior_file_oid,
        sha256=sha,
        status=status,
        received_at=now,
        applied_at=now if status == "applied" else None,
        item_changes=applied,
        held_payload=payload,
    )


def _last_applied(session: Session, site: str) -> CenterPackage | None:
    return session.scalars(
        select(CenterPackage)
        .where(CenterPackage.site_code == site, CenterPackage.status == "applied")
        .order_by(CenterPackage.sequence.desc())
        .limit(1)
    ).first()


def _apply(session: Session, m: Manifest, plaintext: bytes, now: datetime) -> ApplyStats:
    _, compressed = split_payload(plaintext)
    applier = Applier(session, m.site, m.file_oid, now)
    if use_reader_process(m):  # parse + validate on the other core, same outcome
        read_document_parallel(compressed, m, applier)
    else:
        read_document(Inflater(compressed), m, applier)
    return applier.finish()


def _apply_held(session: Session, site: str, seq: int, file_oid: str, now: datetime) -> list[int]:
    """Apply held packages that now continue the chain, in order."""
    applied: list[int] = []
    while True:
        held = session.scalars(
            select(CenterPackage).where(
                CenterPackage.site_code == site,
                CenterPackage.sequence == seq + 1,
                CenterPackage.status == "held",
            )
        ).first()
        if held is None or held.prior_file_oid != file_oid or held.held_payload is None:
            return applied
        manifest, _ = split_payload(held.held_payload)
        stats = _apply(session, manifest, bytes(held.held_payload), now)
        held.status, held.applied_at, held.item_changes = "applied", now, stats.applied
        held.held_payload = None
        session.flush()
        applied.append(held.sequence)
        seq, file_oid = held.sequence, held.file_oid
