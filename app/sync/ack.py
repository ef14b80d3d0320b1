"""Acknowledgements: what the data center received from a site, signed with the center's Ed25519 key.

Layout: magic b"SEQTXACK\\x01", u32 length, UTF-8 JSON body, 64-byte Ed25519 signature over
ACK_DOMAIN + everything before it. The body lists every package of the site (sequence, FileOID,
SHA-256 of the file, applied or held), the sequence the chain has reached, the number of open
conflicts, and the queries raised at the data center (by item path; no PHI).
"""

from __future__ import annotations

import json
import os
import secrets
import struct
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.sync.errors import SyncRejected

ACK_MAGIC = b"SEQTXACK\x01"
ACK_DOMAIN = b"seqtx-ack-signature-v1\x00"
ACK_FORMAT = "seqtx-ack/1"
MAX_ACK = 16 * 1024 * 1024
ACK_SUFFIX = ".sta"


@dataclass(frozen=True)
class AckPackage:
    sequence: int
    file_oid: str
    sha256: str
    status: str  # applied | held


@dataclass(frozen=True)
class AckQuery:
    query_oid: str
    path: str
    text: str
    raised_at: str


@dataclass(frozen=True)
class Acknowledgement:
    site: str
    created_at: str
    sequence_reached: int
    packages: tuple[AckPackage, ...]
    queries: tuple[AckQuery, ...]
    open_conflicts: int

    def to_json(self) -> bytes:
        doc = {
            "format": ACK_FORMAT,
            "site": self.site,
            "created_at": self.created_at,
            "sequence_reached": self.sequence_reached,
            "packages": [p.__dict__ for p in self.packages],
            "queries": [q.__dict__ for q in self.queries],
            "open_conflicts": self.open_conflicts,
        }
        return json.dumps(doc, sort_keys=True, ensure_ascii=False).encode("utf-8")


def sign_ack(ack: Acknowledgement, key: Ed25519PrivateKey) -> bytes:
    body = ack.to_json()
    prefix = ACK_MAGIC + struct.pack(">I", len(body)) + body
    return prefix + key.sign(ACK_DOMAIN + prefix)


def ack_filename(site: str, sequence: int, now: datetime) -> str:
    return f"SEQTX-ACK-{site}-{sequence:06d}-{now.astimezone(UTC):%Y%m%dT%H%M%S}{ACK_SUFFIX}"


def write_ack(data: bytes, out_dir: Path, name: str) -> Path:
    """Temporary name, fsync, rename: a half-written acknowledgement never has the final name."""
    out_dir.mkdir(parents=True, exist_ok=True)
    final = out_dir / name
    tmp = out_dir / f".{name}.{secrets.token_hex(4)}.part"
    with open(tmp, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, final)
    return final


def _field(doc: dict[str, Any], name: str, kind: type) -> Any:
    value = doc.get(name)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise SyncRejected("ack.invalid", f"field {name}")
    return value


def _dicts(doc: dict[str, Any], name: str) -> list[dict[str, Any]]:
    entries = _field(doc, name, list)
    if not all(isinstance(e, dict) for e in entries):
        raise SyncRejected("ack.invalid", f"field {name}")
    return list(entries)


def verify_ack(data: bytes, center_ed25519: bytes) -> Acknowledgement:
    """Check the layout and the center's signature, then parse; SyncRejected otherwise."""
    if len(data) > MAX_ACK or not data.startswith(ACK_MAGIC) or len(data) < len(ACK_MAGIC) + 68:
        raise SyncRejected("ack.invalid", "not an acknowledgement file")
    (blen,) = struct.unpack_from(">I", data, len(ACK_MAGIC))
    end = len(ACK_MAGIC) + 4 + blen
    if end + 64 != len(data):
        raise SyncRejected("ack.invalid", "damaged layout")
    try:
        Ed25519PublicKey.from_public_bytes(center_ed25519).verify(
            data[end:], ACK_DOMAIN + data[:end]
        )
    except InvalidSignature as exc:
        raise SyncRejected("ack.signature") from exc
    try:
        doc = json.loads(data[len(ACK_MAGIC) + 4 : end].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SyncRejected("ack.invalid", "body is not JSON") from exc
    if not isinstance(doc, dict) or doc.get("format") != ACK_FORMAT:
        raise SyncRejected("ack.invalid", "unknown format")
    packages = tuple(
        AckPackage(
            _field(p, "sequence", int),
            _field(p, "file_oid", str),
            _field(p, "sha256", str),
            _field(p, "status", str),
        )
        for p in _dicts(doc, "packages")
    )
    queries = tuple(
        AckQuery(
            _field(q, "query_oid", str),
            _field(q, "path", str),
            _field(q, "text", str),
            _field(q, "raised_at", str),
        )
        for q in _dicts(doc, "queries")
    )
    return Acknowledgement(
        site=_field(doc, "site", str),
        created_at=_field(doc, "created_at", str),
        sequence_reached=_field(doc, "sequence_reached", int),
        packages=packages,
        queries=queries,
        open_conflicts=_field(doc, "open_conflicts", int),
    )
