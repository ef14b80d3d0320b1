"""The database key: made once, kept in the OS keyring, recoverable with a code written on paper.

The key is 32 random bytes (ARCHITECTURE.md section 3). This workstation's OS keyring keeps it,
but only a real, allow-listed backend: a plaintext file or the "fail"/null backend would leave the
key in the clear or lose it, so they are refused with a message saying what to do. Beside the
database, a key file holds the same key wrapped with AES-256-GCM under a key derived from the
recovery code by Argon2id (RFC 9106), so the code opens the database where the keyring cannot
(another OS account, a new workstation, a restored backup).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keyring
import keyring.errors
from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from keyring.backends.chainer import ChainerBackend

KEY_BYTES = 32
KEYRING_SERVICE = "SeqTx database key"

# Real OS keyrings only. keyrings.alt (plaintext / weakly encrypted files) is never allowed.
_ALLOWED_BACKENDS: set[str] = {
    "keyring.backends.SecretService.Keyring",
    "keyring.backends.libsecret.Keyring",
    "keyring.backends.macOS.Keyring",
    "keyring.backends.Windows.WinVaultKeyring",
    "keyring.backends.kwallet.DBusKeyring",
    "keyring.backends.kwallet.DBusKeyringKWallet4",
}
_TEST_BACKENDS: set[type[Any]] = set()

# Crockford base32: no I, L, O, U, so a code read aloud or copied by hand is unambiguous.
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CROCKFORD_ALIASES = {"I": "1", "L": "1", "O": "0"}
RECOVERY_GROUPS = 6
RECOVERY_GROUP_LEN = 5  # 30 symbols x 5 bits = 150 bits

KEY_FILE_FORMAT = "seqtx-keyfile"
KEY_FILE_VERSION = 1


class KeyringUnavailable(Exception):
    """No usable OS keyring: the message says what the user can do instead."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"The database key cannot be kept in this workstation's keyring ({detail}). "
            "Open the database with its recovery code, or run SeqTx in a desktop session "
            "where the operating system's keyring is available."
        )
        self.detail = detail


class WrongRecoveryCodeError(Exception):
    """The recovery code does not open this key file (or is not a recovery code at all)."""

    def __init__(self, detail: str = "the recovery code does not open this database") -> None:
        super().__init__(detail)


class KeyFileError(Exception):
    """The key file is missing, damaged or not a SeqTx key file."""


# ---------------------------------------------------------------------------- keys


def generate_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


# ---------------------------------------------------------------------------- keyring


def _qualname(cls: type[Any]) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def allow_backend_for_tests(cls: type[Any]) -> None:
    """Let a test's in-memory backend pass the allow-list (never called by the app)."""
    _TEST_BACKENDS.add(cls)


def _allowed(backend: Any) -> bool:
    cls = type(backend)
    if cls in _TEST_BACKENDS or _qualname(cls) in _ALLOWED_BACKENDS:
        return True
    if isinstance(backend, ChainerBackend):
        inner = list(backend.backends)
        return bool(inner) and all(_allowed(b) for b in inner)
    return False


def check_keyring_backend() -> None:
    """Raise KeyringUnavailable unless the active keyring backend is a real OS keyring."""
    backend = keyring.get_keyring()
    if not _allowed(backend):
        raise KeyringUnavailable(f"backend {_qualname(type(backend))} is not a secure OS keyring")


def store_key(db_id: str, key: bytes) -> None:
    if len(key) != KEY_BYTES:
        raise ValueError("database key must be 32 bytes")
    check_keyring_backend()
    try:
        keyring.set_password(KEYRING_SERVICE, db_id, key.hex())
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable(type(exc).__name__) from exc


def load_key(db_id: str) -> bytes | None:
    """The key stored for database `db_id`, or None if this keyring has none."""
    check_keyring_backend()
    try:
        text = keyring.get_password(KEYRING_SERVICE, db_id)
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable(type(exc).__name__) from exc
    if text is None:
        return None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        return None
    return key if len(key) == KEY_BYTES else None


def delete_key(db_id: str) -> None:
    check_keyring_backend()
    try:
        keyring.delete_password(KEYRING_SERVICE, db_id)
    except keyring.errors.PasswordDeleteError:
        pass  # nothing stored: already in the desired state
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable(type(exc).__name__) from exc


# ---------------------------------------------------------------------------- recovery code


def new_recovery_code() -> str:
    """e.g. `7QH2M-0ZC4K-...` : 6 groups of 5 Crockford base32 symbols (150 bits)."""
    groups = (
        "".join(secrets.choice(_CROCKFORD) for _ in range(RECOVERY_GROUP_LEN))
        for _ in range(RECOVERY_GROUPS)
    )
    return "-".join(groups)


def normalise_recovery_code(text: str) -> str:
    """The canonical grouped form; tolerant of case, spaces, dashes and I/L/O typed for 1/0."""
    symbols = []
    for ch in text.upper():
        if ch in " -\t\r\n":
            continue
        ch = _CROCKFORD_ALIASES.get(ch, ch)
        if ch not in _CROCKFORD:
            raise WrongRecoveryCodeError(
                "a recovery code has only digits and letters (6 groups of 5)"
            )
        symbols.append(ch)
    total = RECOVERY_GROUPS * RECOVERY_GROUP_LEN
    if len(symbols) != total:
        raise WrongRecoveryCodeError(
            f"a recovery code has {total} digits and letters (6 groups of 5); "
            f"{len(symbols)} were given"
        )
    joined = "".join(symbols)
    return "-".join(joined[i : i + RECOVERY_GROUP_LEN] for i in range(0, total, RECOVERY_GROUP_LEN))


# ---------------------------------------------------------------------------- key file


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost; RFC 9106 second recommended option (64 MiB, t=3, p=4)."""

    time_cost: int = 3
    memory_cost_kib: int = 64 * 1024
    parallelism: int = 4


def key_file_path(db_path: Path) -> Path:
    return db_path.with_suffix(".key")


def _derive(code: str, salt: bytes, params: KdfParams) -> bytes:
    return hash_secret_raw(
        secret=normalise_recovery_code(code).encode("ascii"),
        salt=salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_cost_kib,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def _aad(db_id: str) -> bytes:
    # Binds the wrapped key to its database id and format, so a swapped file does not decrypt.
    return f"{KEY_FILE_FORMAT}/{KEY_FILE_VERSION}/{db_id}".encode()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def write_key_file(
    path: Path, key: bytes, recovery_code: str, db_id: str, params: KdfParams | None = None
) -> None:
    """Write the key wrapped under the recovery code, atomically (temp file, fsync, rename)."""
    if len(key) != KEY_BYTES:
        raise ValueError("database key must be 32 bytes")
    params = params or KdfParams()
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    wrapping = _derive(recovery_code, salt, params)
    ciphertext = AESGCM(wrapping).encrypt(nonce, key, _aad(db_id))
    document = {
        "format": KEY_FILE_FORMAT,
        "version": KEY_FILE_VERSION,
        "db_id": db_id,
        "kdf": {
            "name": "argon2id",
            "time_cost": params.time_cost,
            "memory_cost_kib": params.memory_cost_kib,
            "parallelism": params.parallelism,
            "salt": _b64(salt),
        },
        "wrap": {"alg": "AES-256-GCM", "nonce": _b64(nonce), "ciphertext": _b64(ciphertext)},
    }
    atomic_write(path, json.dumps(document, indent=2).encode("utf-8"))


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that a crash leaves either the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def fsync_dir(directory: Path) -> None:
    """Make a rename durable (no-op where directories cannot be opened, e.g. Windows)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _load_key_document(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KeyFileError(f"no key file at {path}") from None
    except (OSError, ValueError) as exc:
        raise KeyFileError(f"the key file {path} cannot be read") from exc
    if not isinstance(document, dict) or document.get("format") != KEY_FILE_FORMAT:
        raise KeyFileError(f"{path} is not a SeqTx key file")
    if document.get("version") != KEY_FILE_VERSION:
        raise KeyFileError(f"the key file {path} was written by a newer SeqTx")
    return document


def key_file_db_id(path: Path) -> str:
    """The database id recorded in a key file (to find the keyring entry to create)."""
    return str(_load_key_document(path)["db_id"])


def read_key_file(path: Path, recovery_code: str) -> bytes:
    """Unwrap the database key with the recovery code; WrongRecoveryCodeError if it does not fit."""
    document = _load_key_document(path)
    try:
        kdf = document["kdf"]
        wrap = document["wrap"]
        params = KdfParams(
            time_cost=int(kdf["time_cost"]),
            memory_cost_kib=int(kdf["memory_cost_kib"]),
            parallelism=int(kdf["parallelism"]),
        )
        salt = base64.b64decode(kdf["salt"])
        nonce = base64.b64decode(wrap["nonce"])
        ciphertext = base64.b64decode(wrap["ciphertext"])
        db_id = str(document["db_id"])
    except (KeyError, TypeError, ValueError) as exc:
        raise KeyFileError(f"the key file {path} is damaged") from exc
    wrapping = _derive(recovery_code, salt, params)
    try:
        key = AESGCM(wrapping).decrypt(nonce, ciphertext, _aad(db_id))
    except InvalidTag:
        raise WrongRecoveryCodeError() from None
    if len(key) != KEY_BYTES:
        raise KeyFileError(f"the key file {path} is damaged")
    return key


# ---------------------------------------------------------------------------- center slot

CENTER_SLOT_ALG = "X25519-HKDF-SHA256-AES-256-GCM"


def _center_wrapping_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_BYTES,
        salt=ephemeral + recipient,
        info=f"{KEY_FILE_FORMAT}/center-slot".encode(),
    ).derive(shared)


def _raw(public: X25519PublicKey) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def add_center_slot(path: Path, key: bytes, center_public: X25519PublicKey) -> None:
    """Also wrap the key for the data center's X25519 key (ARCHITECTURE.md section 3, optional).

    The data center can then open a site database it receives (e.g. after a site closes) without
    the recovery code. The recovery-code wrap in the file is kept as it was.
    """
    if len(key) != KEY_BYTES:
        raise ValueError("database key must be 32 bytes")
    document = _load_key_document(path)
    ephemeral = X25519PrivateKey.generate()
    ephemeral_raw = _raw(ephemeral.public_key())
    recipient_raw = _raw(center_public)
    wrapping = _center_wrapping_key(ephemeral.exchange(center_public), ephemeral_raw, recipient_raw)
    nonce = secrets.token_bytes(12)
    ciphertext = AESGCM(wrapping).encrypt(nonce, key, _aad(str(document["db_id"])))
    document["center_slot"] = {
        "alg": CENTER_SLOT_ALG,
        "recipient": _b64(recipient_raw),
        "ephemeral": _b64(ephemeral_raw),
        "nonce": _b64(nonce),
        "ciphertext": _b64(ciphertext),
    }
    atomic_write(path, json.dumps(document, indent=2).encode("utf-8"))


def read_center_slot(path: Path, center_private: X25519PrivateKey) -> bytes:
    """The database key from the center slot; KeyFileError if absent or not for this key."""
    document = _load_key_document(path)
    slot = document.get("center_slot")
    if not isinstance(slot, dict) or slot.get("alg") != CENTER_SLOT_ALG:
        raise KeyFileError(f"the key file {path} has no data-center slot")
    try:
        ephemeral_raw = base64.b64decode(slot["ephemeral"])
        nonce = base64.b64decode(slot["nonce"])
        ciphertext = base64.b64decode(slot["ciphertext"])
        ephemeral = X25519PublicKey.from_public_bytes(ephemeral_raw)
    except (KeyError, TypeError, ValueError) as exc:
        raise KeyFileError(f"the data-center slot of {path} is damaged") from exc
    recipient_raw = _raw(center_private.public_key())
    wrapping = _center_wrapping_key(
        center_private.exchange(ephemeral), ephemeral_raw, recipient_raw
    )
    try:
        return AESGCM(wrapping).decrypt(nonce, ciphertext, _aad(str(document["db_id"])))
    except InvalidTag:
        raise KeyFileError(f"the data-center slot of {path} is not for this key") from None
