"""Subjects: the list (PHI only for roles with VIEW_PHI), registration with the next subject ID
of the site (FD-001, FD-002, ...), and the overview of a subject's events and forms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.services.auth import UserSession
from app.services.workspace import Workspace
from app.study.model import Label


@dataclass(frozen=True)
class SubjectRow:
    subject_key: str  # "FD-001"
    stage: str  # app.domain.stages value
    created_at: datetime
    name: str | None = None  # PHI: only for roles with VIEW_PHI
    hospital_number: str | None = None  # PHI: idem


@dataclass(frozen=True)
class NewSubject:
    """Identity (PHI) of a subject being registered."""

    full_name: str
    hospital_number: str
    birth_date: date
    sex: str  # "M" | "F"
    guardian: str | None = None


@dataclass(frozen=True)
class FormRow:
    form_oid: str
    label: Label
    status: str  # "not_started" | "incomplete" | "complete" (FormData.status)
    signed: bool  # at least one valid signature
    signature_invalidated: bool  # a signature was invalidated by a later change
    sdv: bool
    updated_at: datetime | None


@dataclass(frozen=True)
class EventRow:
    event_oid: str
    repeat_key: str | None  # None: a repeating event with no occurrence yet
    label: Label
    stage: str
    kind: str  # "scheduled" | "unscheduled" | "common"
    repeating: bool
    event_date: date | None
    forms: tuple[FormRow, ...]


@dataclass(frozen=True)
class SubjectOverview:
    subject_key: str
    stage: str
    name: str | None  # PHI: only with VIEW_PHI
    events: tuple[EventRow, ...]


def list_subjects(ws: Workspace, user: UserSession, search: str = "") -> list[SubjectRow]:
    """Subjects by subject ID; `search` matches the ID (and, with VIEW_PHI, the name or hospital
    number), case-insensitively. Needs VIEW_SUBJECTS."""
    raise NotImplementedError


def next_subject_key(ws: Workspace) -> str:
    """The next subject ID of the site: "<site code>-<NNN>"."""
    raise NotImplementedError


def create_subject(ws: Workspace, user: UserSession, identity: NewSubject) -> SubjectRow:
    """Register a subject in stage "screening" with the next subject ID (CREATE_SUBJECT), audited."""
    raise NotImplementedError


def subject_overview(ws: Workspace, user: UserSession, subject_key: str) -> SubjectOverview:
    """Events of the study definition with the subject's occurrences and each form's status.

    Raises SubjectNotFound, StudyNotAvailable.
    """
    raise NotImplementedError
