"""Tables that exist only in the data center's database: sites, packages, conflicts, acks.

A separate metadata, so site databases (and their migrations) never get these tables; the center
database holds both `db.models.Base.metadata` (the same clinical models as the sites) and this one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from db.engine import Database, create_plain_engine
from db.models import Base


class CenterBase(DeclarativeBase):
    metadata = MetaData()


class CenterSite(CenterBase):
    """A registered site and its Ed25519 public key (packages are verified against it first)."""

    __tablename__ = "center_sites"
    id: Mapped[int] = mapped_column(primary_key=True)
    site_code: Mapped[str] = mapped_column(String(16), unique=True)
    signing_key: Mapped[bytes] = mapped_column(LargeBinary)
    fingerprint: Mapped[str] = mapped_column(String(64))
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CenterPackage(CenterBase):
    """A package received from a site: applied, or held until its prior package arrives."""

    __tablename__ = "center_packages"
    __table_args__ = (
        UniqueConstraint("site_code", "sequence"),
        UniqueConstraint("site_code", "file_oid"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    site_code: Mapped[str] = mapped_column(String(16), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    file_oid: Mapped[str] = mapped_column(String(64))
    prior_file_oid: Mapped[str | None] = mapped_column(String(64), nullable=True)
    sha256: Mapped[str] = mapped_column(String(64))  # of the package file as received
    status: Mapped[str] = mapped_column(String(16))  # applied | held
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    item_changes: Mapped[int] = mapped_column(Integer, default=0)
    # A held package keeps its verified, decrypted payload until it can be applied.
    held_payload: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class CenterConflict(CenterBase):
    """A site change not applied: its base value differs from the center's, or its transaction
    type does not fit (Insert of an existing value, Update/Remove of a missing one)."""

    __tablename__ = "center_conflicts"
    id: Mapped[int] = mapped_column(primary_key=True)
    site_code: Mapped[str] = mapped_column(String(16), index=True)
    file_oid: Mapped[str] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(String(400))
    kind: Mapped[str] = mapped_column(String(32))  # stale_base | insert_existing | update_missing
    transaction_type: Mapped[str] = mapped_column(String(8))
    site_old_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    site_new_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    center_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    audit_source: Mapped[str] = mapped_column(String(32))  # AUDIT.<site audit id>
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)


class CenterAck(CenterBase):
    """An acknowledgement written for a site."""

    __tablename__ = "center_acks"
    id: Mapped[int] = mapped_column(primary_key=True)
    site_code: Mapped[str] = mapped_column(String(16), index=True)
    sequence_reached: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sha256: Mapped[str] = mapped_column(String(64))


def create_center_schema(engine: Engine) -> None:
    """Create every table the data center needs (idempotent)."""
    Base.metadata.create_all(engine)
    CenterBase.metadata.create_all(engine)


def open_center_database(url: str) -> Database:
    """The data center's database (SQLite file or PostgreSQL URL), its tables created if new."""
    engine = create_plain_engine(url)
    create_center_schema(engine)
    return Database(engine)
