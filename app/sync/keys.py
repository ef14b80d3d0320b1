"""Sync key material: the site's Ed25519 signing key, the data center's key files, fingerprints.

The site's private signing key lives only in the encrypted site database (Secret table). The data
center holds an X25519 key (packages are encrypted to it) and an Ed25519 key (it signs
acknowledgements); its private keys are PKCS#8 PEM files encrypted with a passphrase. Public keys
travel as small JSON files so that a person can see what they are.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from sqlalchemy.orm import Session

from app.sync.errors import SyncRejected
from db.models import Secret, Setting

SITE_SIGNING_SECRET = "sync.site_ed25519"  # noqa: S105 - a row name, not a secret
CENTER_KEY_SETTING = "sync.center_public_key"
SITE_KEY_FORMAT = "seqtx-site-public-key/1"
CENTER_KEY_FORMAT = "seqtx-center-public-key/1"
CENTER_PUBLIC_FILE = "center-public.json"
CENTER_X25519_FILE = "center-x25519.pem"
CENTER_ED25519_FILE = "center-ed25519.pem"
MAX_KEY_FILE = 64 * 1024


def fingerprint(*raw_keys: bytes) -> str:
    """Short, human-comparable SHA-256 fingerprint, e.g. `3f2a 9c01 ...` (first 16 bytes)."""
    digest = hashlib.sha256(b"".join(raw_keys)).hexdigest()[:32]
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def raw_public(key: Ed25519PublicKey | X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object, size: int) -> bytes:
    if not isinstance(text, str):
        raise SyncRejected("key.invalid", "a key is missing")
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SyncRejected("key.invalid", "a key is not base64") from exc
    if len(raw) != size:
        raise SyncRejected("key.invalid", "a key has the wrong length")
    return raw


def _read_json(path: Path) -> dict[str, object]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SyncRejected("key.invalid", f"cannot read {path.name}") from exc
    if len(data) > MAX_KEY_FILE:
        raise SyncRejected("key.invalid", "the file is too large for a key file")
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SyncRejected("key.invalid", "not JSON") from exc
    if not isinstance(value, dict):
        raise SyncRejected("key.invalid", "not a key object")
    return value


# --- site -------------------------------------------------------------------------------------


def ensure_site_signing_key(session: Session) -> Ed25519PrivateKey:
    """The site's Ed25519 key, created on first use (at site setup) inside the encrypted database."""
    secret = session.get(Secret, SITE_SIGNING_SECRET)
    if secret is None:
        key = Ed25519PrivateKey.generate()
        raw = key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        session.add(Secret(name=SITE_SIGNING_SECRET, material=raw))
        session.flush()
        return key
    return Ed25519PrivateKey.from_private_bytes(bytes(secret.material))


def site_public_key_document(site_code: str, key: Ed25519PublicKey) -> bytes:
    doc = {"format": SITE_KEY_FORMAT, "site": site_code, "ed25519": _b64(raw_public(key))}
    return (json.dumps(doc, indent=2) + "\n").encode("utf-8")


@dataclass(frozen=True)
class SitePublicKey:
    site_code: str
    ed25519: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.ed25519)


def load_site_public_key(path: Path) -> SitePublicKey:
    doc = _read_json(path)
    site = doc.get("site")
    if doc.get("format") != SITE_KEY_FORMAT or not isinstance(site, str):
        raise SyncRejected("key.invalid", "not a SeqTx site public key file")
    if not re.match(r"^[A-Z0-9]{2,8}$", site):
        raise SyncRejected("key.invalid", "the site code must be 2 to 8 capital letters or digits")
    return SitePublicKey(site, _unb64(doc.get("ed25519"), 32))


# --- data center ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CenterPublicKey:
    x25519: bytes  # packages are encrypted to this key
    ed25519: bytes  # acknowledgements are signed with this key

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.x25519, self.ed25519)

    @property
    def recipient_id(self) -> str:
        """Names the encryption key in a package header (full SHA-256 hex of the X25519 key)."""
        return hashlib.sha256(self.x25519).hexdigest()

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": CENTER_KEY_FORMAT,
                "x25519": _b64(self.x25519),
                "ed25519": _b64(self.ed25519),
            },
            indent=2,
        )

    @staticmethod
    def from_mapping(doc: dict[str, object]) -> CenterPublicKey:
        if doc.get("format") != CENTER_KEY_FORMAT:
            raise SyncRejected("key.invalid", "not a SeqTx data center public key file")
        return CenterPublicKey(_unb64(doc.get("x25519"), 32), _unb64(doc.get("ed25519"), 32))


def load_center_public_key(path: Path) -> CenterPublicKey:
    return CenterPublicKey.from_mapping(_read_json(path))


def store_center_public_key(session: Session, key: CenterPublicKey) -> None:
    """Site side: remember the data center's public keys (a setting; public, not secret)."""
    row = session.get(Setting, CENTER_KEY_SETTING)
    if row is None:
        session.add(Setting(key=CENTER_KEY_SETTING, value=key.to_json()))
    else:
        row.value = key.to_json()


def stored_center_public_key(session: Session) -> CenterPublicKey:
    row = session.get(Setting, CENTER_KEY_SETTING)
    if row is None:
        raise SyncRejected("key.missing", "run `seqtx sync center-key` first")
    return CenterPublicKey.from_mapping(json.loads(row.value))


@dataclass(frozen=True)
class CenterPrivateKeys:
    x25519: X25519PrivateKey
    ed25519: Ed25519PrivateKey

    @property
    def public(self) -> CenterPublicKey:
        return CenterPublicKey(
            raw_public(self.x25519.public_key()), raw_public(self.ed25519.public_key())
        )


def generate_center_keys(out_dir: Path, passphrase: bytes | None) -> CenterPublicKey:
    """Write the data center key pair files; private keys encrypted when a passphrase is given."""
    out_dir.mkdir(parents=True, exist_ok=True)
    keys = CenterPrivateKeys(X25519PrivateKey.generate(), Ed25519PrivateKey.generate())
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    for name, key in ((CENTER_X25519_FILE, keys.x25519), (CENTER_ED25519_FILE, keys.ed25519)):
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )
        target = out_dir / name
        if target.exists():
            raise FileExistsError(target)
        # Created 0600 from the start: the private key is never world-readable, even briefly.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
    (out_dir / CENTER_PUBLIC_FILE).write_text(keys.public.to_json() + "\n", encoding="utf-8")
    return keys.public


def load_center_private_keys(key_dir: Path, passphrase: bytes | None) -> CenterPrivateKeys:
    loaded = []
    for name in (CENTER_X25519_FILE, CENTER_ED25519_FILE):
        try:
            pem = (key_dir / name).read_bytes()
        except OSError as exc:
            raise SyncRejected("key.invalid", f"cannot read {name}") from exc
        try:
            loaded.append(serialization.load_pem_private_key(pem, password=passphrase or None))
        except TypeError as exc:  # encrypted but no passphrase, or the reverse
            raise SyncRejected("key.passphrase", name) from exc
        except ValueError as exc:
            raise SyncRejected("key.passphrase", name) from exc
    x_key, ed_key = loaded
    if not isinstance(x_key, X25519PrivateKey) or not isinstance(ed_key, Ed25519PrivateKey):
        raise SyncRejected("key.invalid", "unexpected key types in the key directory")
    return CenterPrivateKeys(x_key, ed_key)
