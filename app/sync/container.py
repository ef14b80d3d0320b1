"""The sync package file: an explicit binary layout, encrypted to the data center, signed by the site.

Layout (all integers big-endian; no archive, so no member paths to trick the reader):

    magic      9 bytes   b"SEQTXPKG" + version 0x01
    hlen       4 bytes   length of the header (at most 4096)
    header     hlen      UTF-8 JSON: site, sequence, file_oid, recipient, ephemeral key, nonce
    ciphertext n bytes   AES-256-GCM of the payload, AAD = magic + hlen + header
    tag        16 bytes  GCM tag
    signature  64 bytes  Ed25519 by the site over SIG_DOMAIN + SHA-256(everything before it)

The AES key comes from an ephemeral X25519 exchange with the data center's public key, through
HKDF-SHA256 (salt = ephemeral public key + recipient public key). Encrypt-then-sign lets the data
center check the signature against the registered site key before it decrypts anything; the site
code is repeated inside the encrypted manifest, so a signature cannot be transplanted unnoticed.

The payload (plaintext) is `zlib(ODM XML) + manifest JSON + u32 manifest length`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import secrets
import struct
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.sync.errors import SyncRejected
from app.sync.keys import CenterPrivateKeys, CenterPublicKey, raw_public

MAGIC = b"SEQTXPKG\x01"
SIG_DOMAIN = b"seqtx-package-signature-v1\x00"
HKDF_INFO = b"seqtx-package-v1"
MAX_HEADER = 4096
TAG_LEN = 16
SIG_LEN = 64
NONCE_LEN = 12
PACKAGE_SUFFIX = ".stx"
SITE_CODE = re.compile(r"^[A-Z0-9]{2,8}$")  # as app.services.settings validates it
FILE_OID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
HEADER_FIELDS = ("format", "site", "sequence", "file_oid", "recipient", "ephemeral", "nonce")


@dataclass(frozen=True)
class PackageHeader:
    site: str
    sequence: int
    file_oid: str
    recipient: str  # SHA-256 hex of the data center's X25519 public key
    ephemeral: bytes
    nonce: bytes

    def to_bytes(self) -> bytes:
        doc = {
            "format": 1,
            "site": self.site,
            "sequence": self.sequence,
            "file_oid": self.file_oid,
            "recipient": self.recipient,
            "ephemeral": base64.b64encode(self.ephemeral).decode("ascii"),
            "nonce": base64.b64encode(self.nonce).decode("ascii"),
        }
        return json.dumps(doc, separators=(",", ":"), sort_keys=True).encode("utf-8")

    @staticmethod
    def parse(raw: bytes) -> PackageHeader:
        try:
            doc: Any = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SyncRejected("container.header", "not JSON") from exc
        if not isinstance(doc, dict) or sorted(doc) != sorted(HEADER_FIELDS) or doc["format"] != 1:
            raise SyncRejected("container.header", "unexpected fields")
        site, seq, oid, rcpt = doc["site"], doc["sequence"], doc["file_oid"], doc["recipient"]
        if not (isinstance(site, str) and isinstance(oid, str) and isinstance(rcpt, str)):
            raise SyncRejected("container.header", "wrong field types")
        if not SITE_CODE.match(site) or not FILE_OID.match(oid):
            # Site codes name files (acknowledgements): no path characters can get through.
            raise SyncRejected("container.header", "bad site code or FileOID")
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
            raise SyncRejected("container.header", "bad sequence number")
        try:
            eph = base64.b64decode(doc["ephemeral"], validate=True)
            nonce = base64.b64decode(doc["nonce"], validate=True)
        except (binascii.Error, ValueError, TypeError) as exc:
            raise SyncRejected("container.header", "bad key encoding") from exc
        if len(eph) != 32 or len(nonce) != NONCE_LEN:
            raise SyncRejected("container.header", "bad key length")
        return PackageHeader(site, seq, oid, rcpt, eph, nonce)


def _derive_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient, info=HKDF_INFO
    ).derive(shared)


def package_filename(site: str, sequence: int) -> str:
    """No PHI in file names: site code and sequence only."""
    return f"SEQTX-{site}-{sequence:06d}{PACKAGE_SUFFIX}"


class PackageWriter:
    """Streams an encrypted, signed package to a temporary file; `commit()` renames it into place.

    Leaving the `with` block without commit (an exception, a crash) removes the temporary file, so
    nothing ever appears under the final name unless the package is complete.
    """

    def __init__(
        self,
        final_path: Path,
        site: str,
        sequence: int,
        file_oid: str,
        signing_key: Ed25519PrivateKey,
        center: CenterPublicKey,
    ) -> None:
        if final_path.exists():
            raise FileExistsError(final_path)
        self.final_path = final_path
        self._signing_key = signing_key
        ephemeral = X25519PrivateKey.generate()
        eph_raw = raw_public(ephemeral.public_key())
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(center.x25519))
        nonce = secrets.token_bytes(NONCE_LEN)
        header = PackageHeader(site, sequence, file_oid, center.recipient_id, eph_raw, nonce)
        header_bytes = header.to_bytes()
        prefix = MAGIC + struct.pack(">I", len(header_bytes)) + header_bytes
        key = _derive_key(shared, eph_raw, center.x25519)
        self._encryptor = Cipher(algorithms.AES(key), modes.GCM(nonce)).encryptor()
        self._encryptor.authenticate_additional_data(prefix)
        self._hash = hashlib.sha256()
        self.tmp_path = final_path.with_name(f".{final_path.name}.{secrets.token_hex(6)}.part")
        self._file: BinaryIO = open(self.tmp_path, "xb")  # noqa: SIM115 - closed in commit/abort
        self._emit(prefix)
        self.committed = False
        self.sha256 = ""

    def _emit(self, data: bytes) -> None:
        self._hash.update(data)
        self._file.write(data)

    def write(self, plaintext: bytes) -> None:
        if plaintext:
            self._emit(self._encryptor.update(plaintext))

    def commit(self) -> str:
        """Finish, sign, fsync and atomically rename; returns the SHA-256 of the whole file."""
        tail = self._encryptor.finalize()
        self._emit(tail + self._encryptor.tag)
        signature = self._signing_key.sign(SIG_DOMAIN + self._hash.digest())
        self._emit(signature)
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        if self.final_path.exists():
            raise FileExistsError(self.final_path)
        os.replace(self.tmp_path, self.final_path)
        self.committed = True
        self.sha256 = self._hash.hexdigest()
        return self.sha256

    def abort(self) -> None:
        if not self._file.closed:
            self._file.close()
        self.tmp_path.unlink(missing_ok=True)

    def __enter__(self) -> PackageWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self.committed:
            self.abort()


def seal(
    payload: bytes,
    final_path: Path,
    site: str,
    sequence: int,
    file_oid: str,
    signing_key: Ed25519PrivateKey,
    center: CenterPublicKey,
) -> str:
    """Write a whole payload as a package in one call (tests, small packages)."""
    with PackageWriter(final_path, site, sequence, file_oid, signing_key, center) as writer:
        writer.write(payload)
        return writer.commit()


def read_header(data: bytes) -> tuple[PackageHeader, int]:
    """The header and the offset where the ciphertext starts; checks the outer layout only."""
    if len(data) < len(MAGIC) or data[: len(MAGIC)] != MAGIC:
        raise SyncRejected("container.magic")
    if len(data) < len(MAGIC) + 4:
        raise SyncRejected("container.truncated", "no header")
    (hlen,) = struct.unpack_from(">I", data, len(MAGIC))
    if hlen == 0 or hlen > MAX_HEADER:
        raise SyncRejected("container.header", "header length out of range")
    start = len(MAGIC) + 4 + hlen
    if len(data) < start + TAG_LEN + SIG_LEN:
        raise SyncRejected("container.truncated")
    return PackageHeader.parse(data[len(MAGIC) + 4 : start]), start


def verify_signature(data: bytes, site_key: bytes) -> None:
    body, signature = data[:-SIG_LEN], data[-SIG_LEN:]
    try:
        Ed25519PublicKey.from_public_bytes(site_key).verify(
            signature, SIG_DOMAIN + hashlib.sha256(body).digest()
        )
    except InvalidSignature as exc:
        raise SyncRejected("signature.invalid") from exc


def decrypt(data: bytes, header: PackageHeader, start: int, center: CenterPrivateKeys) -> bytes:
    """Decrypt a package whose signature was already verified."""
    public = center.public
    if header.recipient != public.recipient_id:
        raise SyncRejected("recipient.other")
    try:
        shared = center.x25519.exchange(X25519PublicKey.from_public_bytes(header.ephemeral))
    except ValueError as exc:  # a low-order point gives an all-zero secret
        raise SyncRejected("decrypt.failed", "bad ephemeral key") from exc
    key = _derive_key(shared, header.ephemeral, public.x25519)
    end = len(data) - SIG_LEN - TAG_LEN
    tag = data[end : end + TAG_LEN]
    decryptor = Cipher(algorithms.AES(key), modes.GCM(header.nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(data[:start])
    try:
        return decryptor.update(memoryview(data)[start:end]) + decryptor.finalize()
    except InvalidTag as exc:
        raise SyncRejected("decrypt.failed") from exc
