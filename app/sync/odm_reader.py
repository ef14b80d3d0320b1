"""Reads a sync ODM document with a hardened, streaming, schema-validating parser.

lxml iterparse with the official CDISC ODM 1.3.2 schema (shipped in odmlib), no entity
resolution, no network, no DTD, no huge trees; the Inflater has already refused any DOCTYPE or
ENTITY declaration. Handled elements are freed with their container (ItemData with their
ItemGroupData, or in runs of 256 in a huge group) so memory stays flat. Events may reach the
handler before a later schema error is raised: callers apply inside a transaction that the error
rolls back.
"""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, Protocol

from lxml import etree

from app.sync.errors import SyncRejected
from app.sync.odm_metadata import ODM_NS
from app.sync.odm_writer import ANNOTATION_CODELIST, NULLFLAVOR_CODELIST, PRIOR_FLAG
from app.sync.paths import DEFAULT_GROUP_REPEAT, ItemPath
from app.sync.payload import Inflater, Manifest

_NS = f"{{{ODM_NS}}}"
_EVENT_TAGS = [
    f"{_NS}{name}"
    for name in (
        "ODM",
        "Study",
        "User",
        "SignatureDef",
        "ClinicalData",
        "SubjectData",
        "StudyEventData",
        "FormData",
        "ItemGroupData",
        "ItemData",
        "Signature",
    )
]
DRAIN_CODES = frozenset(("odm.content", "manifest.mismatch"))
TX_TYPES = ("Insert", "Update", "Remove", "Upsert", "Context")


@lru_cache(maxsize=1)
def odm_schema() -> etree.XMLSchema:
    """The official ODM 1.3.2 XML schema as shipped by odmlib (parsed once per process)."""
    root = importlib.resources.files("odmlib") / "schemas" / "odm" / "1.3.2" / "ODM1-3-2.xsd"
    with importlib.resources.as_file(root) as path:
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        return etree.XMLSchema(etree.parse(str(path), parser))


FormKey = tuple[str, str, str, str]  # subject, event OID, event repeat, form OID


@dataclass(slots=True)
class ItemTx:
    form_key: FormKey  # one tuple object per ItemGroupData: handlers may cache on identity
    group_oid: str
    group_repeat: str
    item_oid: str
    audit_path: str  # str(self.path), built from a per-group prefix
    transaction: str
    value: str | None
    is_null: bool
    unit_oid: str | None
    null_flavor: str | None
    has_prior: bool
    prior: str | None
    user_oid: str
    ts: datetime
    reason: str | None
    source: str
    offset_minutes: int = 0

    @property
    def path(self) -> ItemPath:
        return ItemPath(*self.form_key, self.group_oid, self.group_repeat, self.item_oid)


@dataclass(slots=True)
class SignatureTx:
    form_key: FormKey
    user_oid: str
    signature_oid: str
    ts: datetime


@dataclass
class DocumentHead:
    file_oid: str
    prior_file_oid: str | None
    mdv_oid: str = ""
    users: dict[str, str] = field(default_factory=dict)  # OID -> UserType
    signature_defs: dict[str, str] = field(default_factory=dict)  # OID -> meaning
    has_study: bool = False


class Handler(Protocol):
    def admin(self, head: DocumentHead) -> None: ...
    def item(self, tx: ItemTx) -> None: ...
    def signature(self, tx: SignatureTx) -> None: ...


def parse_timestamp(text: str | None) -> datetime:
    if not text:
        raise SyncRejected("odm.content", "missing DateTimeStamp")
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise SyncRejected("odm.content", "bad DateTimeStamp") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def as_utc(moment: datetime) -> datetime:
    """Stored times are UTC (SQLite keeps no offset); the offset travels separately."""
    try:
        return moment.astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise SyncRejected("odm.content", "a DateTimeStamp is out of range") from exc


_AUDIT_TAG, _UNIT_TAG, _ANNOTATION_TAG = (
    f"{_NS}AuditRecord",
    f"{_NS}MeasurementUnitRef",
    f"{_NS}Annotation",
)
_USER_TAG, _DTS_TAG = f"{_NS}UserRef", f"{_NS}DateTimeStamp"
_REASON_TAG, _SOURCE_TAG = f"{_NS}ReasonForChange", f"{_NS}SourceID"
_COMMENT_TAG, _FLAG_TAG, _FLAG_VALUE_TAG = f"{_NS}Comment", f"{_NS}Flag", f"{_NS}FlagValue"
_ODM_TAG, _CLINICAL_TAG, _STUDY_TAG = f"{_NS}ODM", f"{_NS}ClinicalData", f"{_NS}Study"
_SUBJECT_TAG, _EVENT_TAG, _FORM_TAG = f"{_NS}SubjectData", f"{_NS}StudyEventData", f"{_NS}FormData"
_GROUP_TAG, _ITEM_TAG, _SIGNATURE_TAG = f"{_NS}ItemGroupData", f"{_NS}ItemData", f"{_NS}Signature"
_USERDEF_TAG, _SIGDEF_TAG = f"{_NS}User", f"{_NS}SignatureDef"
_CONTAINER_TAGS = frozenset((_GROUP_TAG, _FORM_TAG, _EVENT_TAG, _SUBJECT_TAG))
_TOO_LONG = "an OID or repeat key is longer than SeqTx stores"
_RELEASE_EVERY = 256  # ItemData handled before they are freed (normally their group frees them)


@lru_cache(maxsize=8192)
def _moment(text: str | None) -> tuple[datetime, int]:
    """(UTC time, UTC offset in minutes) of a DateTimeStamp; cached: a package repeats them."""
    moment = parse_timestamp(text)
    offset = int((moment.utcoffset() or timedelta(0)).total_seconds() // 60)
    return as_utc(moment), offset


def _annotation(ann: Any) -> tuple[bool, str | None, str | None]:
    """(is the prior value, prior value, null flavour) of one Annotation."""
    comment, flags = None, []
    for child in ann:
        if child.tag == _COMMENT_TAG:
            comment = child.text
        elif child.tag == _FLAG_TAG:
            flags += [(v.get("CodeListOID"), v.text) for v in child if v.tag == _FLAG_VALUE_TAG]
    is_prior = (ANNOTATION_CODELIST, PRIOR_FLAG) in flags
    null_flavor = next((text for cl, text in flags if cl == NULLFLAVOR_CODELIST), None)
    return is_prior, comment if is_prior else None, null_flavor


# An open ItemGroupData: its form's key, group OID, repeat key and the audit path prefix.
_Group = tuple[FormKey, str, str, str]


class _Where:
    """The enclosing containers' keys. Each is checked against the columns' sizes once, when its
    container opens (PostgreSQL enforces them: refuse rather than fail mid-transaction), and an
    inner key is forgotten when an outer container opens."""

    __slots__ = ("event", "event_repeat", "form", "group", "subject")

    def __init__(self) -> None:
        self.subject: str | None = None
        self.event: str | None = None
        self.event_repeat = ""
        self.form: str | None = None
        self.group: _Group | None = None

    def enter(self, tag: str, el: Any) -> None:
        if tag == _GROUP_TAG:
            group_oid = el.get("ItemGroupOID", "")
            repeat = el.get("ItemGroupRepeatKey", DEFAULT_GROUP_REPEAT)
            if len(group_oid) > 64 or len(repeat) > 16:
                raise SyncRejected("odm.content", _TOO_LONG)
            if self.subject is None or self.event is None or self.form is None:
                self.group = None  # an ItemData in it is refused as outside its containers
                return
            form_key = (self.subject, self.event, self.event_repeat, self.form)
            event = f"{self.event}[{self.event_repeat}]" if self.event_repeat else self.event
            prefix = f"{self.subject}/{event}/{self.form}/{group_oid}[{repeat}]/"
            self.group = (form_key, group_oid, repeat, prefix)  # = str(ItemPath) without item
            return
        self.group = None
        if tag == _FORM_TAG:
            self.form = el.get("FormOID", "")
            if len(self.form) > 64:
                raise SyncRejected("odm.content", _TOO_LONG)
            return
        self.form = None
        if tag == _EVENT_TAG:
            self.event = el.get("StudyEventOID", "")
            self.event_repeat = el.get("StudyEventRepeatKey", "")
            if len(self.event) > 64 or len(self.event_repeat) > 32:
                raise SyncRejected("odm.content", _TOO_LONG)
            return
        self.subject = el.get("SubjectKey", "")  # SubjectData
        self.event, self.event_repeat = None, ""
        if len(self.subject) > 32:
            raise SyncRejected("odm.content", _TOO_LONG)

    def form_key(self) -> FormKey:
        if self.subject is None or self.event is None or self.form is None:
            raise SyncRejected("odm.content", "a Signature outside its FormData")
        return (self.subject, self.event, self.event_repeat, self.form)


def read_document(inflater: Inflater, manifest: Manifest, handler: Handler) -> DocumentHead:
    """Parse, validate and hand every transaction to `handler`; SyncRejected on any problem."""
    head, admin_sent = read_events(inflater, manifest, handler, ItemTx)
    return finish_document(
        head, admin_sent, handler, inflater.sha256.hexdigest(), inflater.total, manifest
    )


def read_events(
    inflater: Inflater, manifest: Manifest, handler: Any, make_item: Any
) -> tuple[DocumentHead | None, bool]:
    """The parse itself: every event to `handler`, each ItemData as `make_item(*fields)` (ItemTx
    in-process, a plain tuple for the reader process). Returns (head, whether admin was sent);
    the checks that follow the whole document are `finish_document`'s."""
    where = _Where()
    head: DocumentHead | None = None
    admin_sent = False
    try:
        events = etree.iterparse(
            inflater,
            events=("start", "end"),
            schema=odm_schema(),
            resolve_entities=False,
            no_network=True,
            huge_tree=False,
            load_dtd=False,
            dtd_validation=False,
            remove_comments=True,
            remove_pis=True,
            tag=_EVENT_TAGS,  # filtered in C: the ItemData's children raise no events
        )
        try:
            held = 0  # handled ItemData not yet released (their group's release frees them)
            for event, el in events:
                tag = el.tag  # full names compared: no string slicing per event
                if tag == _ITEM_TAG:  # most events: checked first
                    if event == "end":
                        if head is None:
                            raise SyncRejected("odm.content", "the root element is not ODM")
                        handler.item(_item_tx(el, where.group, make_item))
                        held += 1
                        if held >= _RELEASE_EVERY:  # a huge group must not grow the tree
                            _release(el)
                            held = 0
                    continue
                if event == "start":
                    if tag in _CONTAINER_TAGS:
                        where.enter(tag, el)
                    elif tag == _ODM_TAG:
                        head = _head(el, manifest)
                    elif tag == _CLINICAL_TAG:
                        assert head is not None
                        head.mdv_oid = el.get("MetaDataVersionOID", "")
                        if head.mdv_oid != manifest.mdv_oid:
                            raise SyncRejected("manifest.mismatch", "MetaDataVersionOID")
                        if not admin_sent:
                            handler.admin(head)
                            admin_sent = True
                    continue
                if head is None:
                    raise SyncRejected("odm.content", "the root element is not ODM")
                if tag in _CONTAINER_TAGS:
                    _release(el)
                    held = 0
                elif tag == _SIGNATURE_TAG:
                    parent = el.getparent()
                    if parent is not None and parent.tag == _FORM_TAG:
                        user = el.find(_USER_TAG)
                        sref = el.find(f"{_NS}SignatureRef")
                        handler.signature(
                            SignatureTx(
                                where.form_key(),
                                "" if user is None else user.get("UserOID", ""),
                                "" if sref is None else sref.get("SignatureOID", ""),
                                as_utc(parse_timestamp(el.findtext(_DTS_TAG))),
                            )
                        )
                elif tag == _USERDEF_TAG and el.getparent() is not None:
                    if len(el.get("OID", "")) > 32:
                        raise SyncRejected("odm.content", "a user OID is too long")
                    head.users[el.get("OID", "")] = el.get("UserType", "Other")
                elif tag == _SIGDEF_TAG:
                    meaning = el.findtext(f"{_NS}Meaning") or ""
                    if len(meaning) > 64:
                        raise SyncRejected("odm.content", "a signature meaning is too long")
                    head.signature_defs[el.get("OID", "")] = meaning
                elif tag == _STUDY_TAG:
                    head.has_study = True
                    _release(el)
        except SyncRejected as exc:
            if exc.code not in DRAIN_CODES:
                raise
            # A schema error later in the document is the better reason: look for one.
            for _ in events:
                pass
            raise
    except etree.XMLSyntaxError as exc:
        message = str(exc)
        # libxml2 numbers schema-validity errors 1800-1899 (XML_SCHEMAV_*); exc.error_log can
        # hold entries of earlier parses, so the exception's own code decides.
        if 1800 <= getattr(exc, "code", 0) < 1900:
            raise SyncRejected("odm.invalid", _clip(message)) from exc
        raise SyncRejected("xml.malformed", _clip(message)) from exc
    except etree.XMLSchemaError as exc:
        raise SyncRejected("odm.invalid", _clip(str(exc))) from exc
    return head, admin_sent


def finish_document(
    head: DocumentHead | None,
    admin_sent: bool,
    handler: Handler,
    odm_sha256: str,
    odm_bytes: int,
    manifest: Manifest,
) -> DocumentHead:
    """The checks after the last event: a root, the admin call, the ODM's hash and size."""
    if head is None:
        raise SyncRejected("odm.content", "no ODM root element")
    if not admin_sent:
        handler.admin(head)
    if odm_sha256 != manifest.odm_sha256 or odm_bytes != manifest.odm_bytes:
        raise SyncRejected("hash.mismatch", "ODM document")
    if manifest.includes_metadata and not head.has_study:
        raise SyncRejected("manifest.mismatch", "the manifest announces metadata that is absent")
    return head


def _clip(message: str) -> str:
    """Schema messages name elements and attributes, never values; keep them short anyway."""
    return message[:300]


def _head(el: Any, manifest: Manifest) -> DocumentHead:
    if el.get("FileType") != "Transactional":
        raise SyncRejected("odm.content", "FileType is not Transactional")
    file_oid, prior = el.get("FileOID"), el.get("PriorFileOID")
    if file_oid != manifest.file_oid or prior != manifest.prior_file_oid:
        raise SyncRejected("manifest.mismatch", "FileOID / PriorFileOID")
    return DocumentHead(file_oid, prior)


def _item_tx(el: Any, group: _Group | None, make_item: Any) -> Any:
    """One ItemData; its AuditRecord's children are visited, not indexed: events can precede a
    schema error about their order."""
    tx = el.get("TransactionType")
    if tx is None:
        raise SyncRejected("odm.content", "an ItemData has no TransactionType")
    if group is None:
        raise SyncRejected("odm.content", "ItemData outside its containers")
    item_oid = el.get("ItemOID", "")
    if len(item_oid) > 64:
        raise SyncRejected("odm.content", _TOO_LONG)
    audit = None
    unit_oid: str | None = None
    has_prior, prior, null_flavor = False, None, None
    for child in el:
        tag = child.tag
        if tag == _AUDIT_TAG:
            audit = child
        elif tag == _UNIT_TAG:
            unit_oid = child.get("MeasurementUnitOID")
        elif tag == _ANNOTATION_TAG:
            is_prior, comment, flavor = _annotation(child)
            if is_prior:
                has_prior, prior = True, comment
            null_flavor = flavor or null_flavor
    if audit is None:
        raise SyncRejected("odm.content", "an ItemData has no AuditRecord")
    user = stamp = reason = source = None
    for child in audit:
        tag = child.tag
        if tag == _USER_TAG:
            user = child.get("UserOID", "")
        elif tag == _DTS_TAG:
            stamp = child.text
        elif tag == _SOURCE_TAG:
            source = child.text
        elif tag == _REASON_TAG:
            reason = child.text
    if user is None or not source:
        raise SyncRejected("odm.content", "an AuditRecord lacks UserRef or SourceID")
    ts, offset = _moment(stamp)
    if len(unit_oid or "") > 35 or len(null_flavor or "") > 8 or len(user) > 32:
        raise SyncRejected("odm.content", "a unit, null flavour or user OID is too long")
    form_key, group_oid, group_repeat, prefix = group
    return make_item(
        form_key,
        group_oid,
        group_repeat,
        item_oid,
        prefix + item_oid,
        tx,
        el.get("Value"),
        el.get("IsNull") == "Yes",
        unit_oid,
        null_flavor,
        has_prior,
        prior,
        user,
        ts,
        reason,
        source,
        offset,
    )


def _release(el: Any) -> None:
    """Free what was handled: the element's content and its already-handled earlier siblings."""
    el.clear(keep_tail=False)
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]
