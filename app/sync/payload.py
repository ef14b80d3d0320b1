"""The decrypted payload: zlib-compressed ODM followed by the manifest (JSON) and its length.

The manifest goes last because the ODM is streamed: its hash and counts are known only at the end.
`Inflater` hands the ODM to the XML parser chunk by chunk with a hard size cap and refuses any
document type declaration before the parser sees it.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from dataclasses import asdict, dataclass, field
from typing import Any

from app.sync.errors import SyncRejected

MANIFEST_FORMAT = "seqtx-manifest/1"
MAX_MANIFEST = 64 * 1024
MAX_ODM_BYTES = 4 * 1024**3  # expansion cap: a 1M-value first export is ~0.4 GB
CHUNK = 1 << 20
COUNT_KEYS = ("subjects", "item_changes", "audit_records", "signatures", "users")


@dataclass
class Manifest:
    site: str
    sequence: int
    file_oid: str
    prior_file_oid: str | None
    created_at: str
    as_of: str
    study_oid: str
    mdv_oid: str
    includes_metadata: bool
    last_audit_id: int
    odm_bytes: int
    odm_sha256: str
    compressed_sha256: str
    counts: dict[str, int] = field(default_factory=dict)
    format: str = MANIFEST_FORMAT

    def to_bytes(self) -> bytes:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":")).encode("utf-8")

    @staticmethod
    def parse(raw: bytes) -> Manifest:
        try:
            doc: Any = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SyncRejected("manifest.invalid", "not JSON") from exc
        if not isinstance(doc, dict) or doc.get("format") != MANIFEST_FORMAT:
            raise SyncRejected("manifest.invalid", "unknown manifest format")
        expected: dict[str, tuple[type, ...]] = {
            "site": (str,),
            "sequence": (int,),
            "file_oid": (str,),
            "prior_file_oid": (str, type(None)),
            "created_at": (str,),
            "as_of": (str,),
            "study_oid": (str,),
            "mdv_oid": (str,),
            "includes_metadata": (bool,),
            "last_audit_id": (int,),
            "odm_bytes": (int,),
            "odm_sha256": (str,),
            "compressed_sha256": (str,),
            "counts": (dict,),
            "format": (str,),
        }
        if set(doc) != set(expected):
            raise SyncRejected("manifest.invalid", "unexpected fields")
        for name, types in expected.items():
            if not isinstance(doc[name], types) or (
                bool not in types and isinstance(doc[name], bool)
            ):
                raise SyncRejected("manifest.invalid", f"bad field {name}")
        counts = doc["counts"]
        if set(counts) != set(COUNT_KEYS) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in counts.values()
        ):
            raise SyncRejected("manifest.invalid", "bad counts")
        if doc["sequence"] < 1 or not 0 <= doc["odm_bytes"] <= MAX_ODM_BYTES:
            raise SyncRejected("manifest.invalid", "numbers out of range")
        return Manifest(**doc)


def build_payload_tail(manifest: Manifest) -> bytes:
    raw = manifest.to_bytes()
    return raw + struct.pack(">I", len(raw))


def split_payload(plaintext: bytes) -> tuple[Manifest, memoryview]:
    """The manifest and the compressed ODM; checks the compressed hash."""
    if len(plaintext) < 4:
        raise SyncRejected("payload.damaged", "too short")
    (mlen,) = struct.unpack_from(">I", plaintext, len(plaintext) - 4)
    if mlen == 0 or mlen > MAX_MANIFEST or mlen > len(plaintext) - 4:
        raise SyncRejected("payload.damaged", "manifest length out of range")
    start = len(plaintext) - 4 - mlen
    manifest = Manifest.parse(plaintext[start : len(plaintext) - 4])
    compressed = memoryview(plaintext)[:start]
    if hashlib.sha256(compressed).hexdigest() != manifest.compressed_sha256:
        raise SyncRejected("hash.mismatch", "compressed ODM")
    return manifest, compressed


class Inflater:
    """A read-only stream of the inflated ODM with a size cap, a hash and a DOCTYPE guard."""

    def __init__(self, compressed: memoryview, limit: int = MAX_ODM_BYTES) -> None:
        self._src = compressed
        self._pos = 0
        self._inflater = zlib.decompressobj()
        self._pending = b""
        self._offset = 0
        self._tail = b""  # last bytes of the previous chunk: a marker may straddle chunks
        self.total = 0
        self.limit = limit
        self.sha256 = hashlib.sha256()
        self.finished = False

    def _more(self) -> bytes:
        try:
            while True:
                if self._inflater.unconsumed_tail:
                    out = self._inflater.decompress(self._inflater.unconsumed_tail, CHUNK)
                elif self._pos < len(self._src):
                    piece = self._src[self._pos : self._pos + CHUNK]
                    self._pos += len(piece)
                    out = self._inflater.decompress(piece, CHUNK)
                else:
                    out = self._inflater.flush()
                    if not self._inflater.eof:
                        raise SyncRejected("payload.damaged", "compressed ODM is truncated")
                    if self._inflater.unused_data:
                        raise SyncRejected("payload.damaged", "data after the compressed ODM")
                    self.finished = True
                    return out
                if out:
                    return out
        except zlib.error as exc:
            raise SyncRejected("payload.damaged", "compressed ODM is damaged") from exc

    def _check(self, chunk: bytes) -> None:
        self.total += len(chunk)
        if self.total > self.limit:
            raise SyncRejected("xml.too_large")
        window = self._tail + chunk
        if b"<!DOCTYPE" in window or b"<!ENTITY" in window or b"<!doctype" in window:
            raise SyncRejected("xml.doctype")
        self._tail = window[-16:]
        self.sha256.update(chunk)

    def read(self, size: int = -1) -> bytes:
        """lxml pulls the document through `read(n)`; an offset avoids re-copying each chunk."""
        while self._offset >= len(self._pending) and not self.finished:
            chunk = self._more()
            self._check(chunk)
            self._pending, self._offset = chunk, 0
        if size is None or size < 0:
            size = len(self._pending) - self._offset
        out = self._pending[self._offset : self._offset + size]
        self._offset += len(out)
        return out
