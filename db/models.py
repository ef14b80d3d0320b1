"""SQLAlchemy models: ODM-shaped clinical data, PHI kept apart, users, audit, signatures, queries.

Subject -> StudyEvent (event OID + repeat key) -> FormData -> ItemData (group OID + repeat key,
item OID). The same models serve the site database (SQLCipher) and the data center (SQLite or
PostgreSQL), so nothing here is SQLite-specific.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))  # app.services.permissions.Role value
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Pseudonymous OID used in exports instead of the username (PHI-free AdminData).
    user_oid: Mapped[str] = mapped_column(String(32), unique=True)


class Subject(Base):
    __tablename__ = "subjects"
    id: Mapped[int] = mapped_column(primary_key=True)
    subject_key: Mapped[str] = mapped_column(String(32), unique=True)  # e.g. "FD-001"
    site_code: Mapped[str] = mapped_column(String(16))
    stage: Mapped[str] = mapped_column(String(32), default="screening")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    identity: Mapped[SubjectIdentity | None] = relationship(
        back_populates="subject", uselist=False, cascade="all, delete-orphan"
    )
    events: Mapped[list[StudyEvent]] = relationship(
        back_populates="subject", cascade="all, delete-orphan"
    )


class SubjectIdentity(Base):
    """PHI: never exported, printed only where a form needs it, shown only to roles that need it."""

    __tablename__ = "subject_identities"
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    hospital_number: Mapped[str] = mapped_column(String(64))
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(8))  # "M" | "F"
    guardian: Mapped[str | None] = mapped_column(String(200), nullable=True)
    subject: Mapped[Subject] = relationship(back_populates="identity")


class StudyEvent(Base):
    __tablename__ = "study_events"
    __table_args__ = (UniqueConstraint("subject_id", "event_oid", "repeat_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    event_oid: Mapped[str] = mapped_column(String(64))
    repeat_key: Mapped[str] = mapped_column(String(32), default="")  # study day, month, seq
    event_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    subject: Mapped[Subject] = relationship(back_populates="events")
    forms: Mapped[list[FormData]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )


class FormData(Base):
    __tablename__ = "form_data"
    __table_args__ = (UniqueConstraint("study_event_id", "form_oid"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    study_event_id: Mapped[int] = mapped_column(ForeignKey("study_events.id"), index=True)
    form_oid: Mapped[str] = mapped_column(String(64))
    mdv_oid: Mapped[str] = mapped_column(String(64))  # study definition version entered under
    status: Mapped[str] = mapped_column(String(16), default="incomplete")
    sdv: Mapped[bool] = mapped_column(Boolean, default=False)  # source-data verified by monitor
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    event: Mapped[StudyEvent] = relationship(back_populates="forms")
    items: Mapped[list[ItemData]] = relationship(
        back_populates="form", cascade="all, delete-orphan"
    )


class ItemData(Base):
    __tablename__ = "item_data"
    __table_args__ = (
        UniqueConstraint("form_data_id", "item_group_oid", "group_repeat_key", "item_oid"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    form_data_id: Mapped[int] = mapped_column(ForeignKey("form_data.id"), index=True)
    item_group_oid: Mapped[str] = mapped_column(String(64))
    group_repeat_key: Mapped[str] = mapped_column(String(16), default="1")
    item_oid: Mapped[str] = mapped_column(String(64))
    value: Mapped[str | None] = mapped_column(Text, nullable=True)
    unit: Mapped[str | None] = mapped_column(String(32), nullable=True)  # UCUM as entered
    null_flavor: Mapped[str | None] = mapped_column(String(8), nullable=True)  # e.g. "NASK"
    derived_by: Mapped[str | None] = mapped_column(String(96), nullable=True)  # rule@version
    form: Mapped[FormData] = relationship(back_populates="items")


class AuditRecord(Base):
    """Append-only (triggers reject UPDATE, DELETE and REPLACE) and hash-chained."""

    __tablename__ = "audit_records"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None = system
    ts_utc: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    utc_offset_minutes: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(32))  # insert|update|delete|login|login_failed|...
    # subject/event[repeat]/form/group[repeat]/item; indexed for "the trail of this record" lookups
    path: Mapped[str] = mapped_column(String(400), index=True)
    old_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    new_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Signature(Base):
    __tablename__ = "signatures"
    id: Mapped[int] = mapped_column(primary_key=True)
    form_data_id: Mapped[int] = mapped_column(ForeignKey("form_data.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    printed_name: Mapped[str] = mapped_column(String(200))
    meaning: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    content_hash: Mapped[str] = mapped_column(String(64))
    valid: Mapped[bool] = mapped_column(Boolean, default=True)
    invalidated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Query(Base):
    """A data query on one item: raised (data manager / monitor / data center), answered, closed."""

    __tablename__ = "queries"
    id: Mapped[int] = mapped_column(primary_key=True)
    query_oid: Mapped[str] = mapped_column(String(64), unique=True)
    form_data_id: Mapped[int] = mapped_column(ForeignKey("form_data.id"), index=True)
    item_group_oid: Mapped[str] = mapped_column(String(64))
    group_repeat_key: Mapped[str] = mapped_column(String(16), default="1")
    item_oid: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open|answered|closed
    raised_by: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None: data center
    raised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    answered_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    closed_by: Mapped[int | None] = mapped_column(Integer, nullable=True)


class SyncBatch(Base):
    """One sync package written for the data center, and whether it was acknowledged."""

    __tablename__ = "sync_batches"
    id: Mapped[int] = mapped_column(primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer, unique=True)
    file_oid: Mapped[str] = mapped_column(String(64), unique=True)
    prior_file_oid: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_audit_id: Mapped[int] = mapped_column(Integer)  # changes up to this audit row included
    sha256: Mapped[str] = mapped_column(String(64))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Setting(Base):
    """Site configuration (site code and name, idle timeout, language, keys): JSON values."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Secret(Base):
    """Key material kept only inside the encrypted database (e.g. the site's Ed25519 key)."""

    __tablename__ = "secrets"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    material: Mapped[bytes] = mapped_column(LargeBinary)
