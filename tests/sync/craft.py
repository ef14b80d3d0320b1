"""Build packages by hand (what an attacker or a buggy site could send) with real keys."""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import replace
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.sync.container import decrypt, read_header, seal
from app.sync.keys import CenterPrivateKeys, CenterPublicKey
from app.sync.payload import Manifest, build_payload_tail, split_payload


def open_payload(data: bytes, keys: CenterPrivateKeys) -> tuple[Manifest, bytes]:
    """(manifest, ODM XML) of a package, as the center would see them after verification."""
    header, start = read_header(data)
    manifest, compressed = split_payload(decrypt(data, header, start, keys))
    return manifest, zlib.decompress(bytes(compressed))


def manifest_for(odm: bytes, compressed: bytes, base: Manifest) -> Manifest:
    return replace(
        base,
        odm_bytes=len(odm),
        odm_sha256=hashlib.sha256(odm).hexdigest(),
        compressed_sha256=hashlib.sha256(compressed).hexdigest(),
    )


def reseal(
    odm: bytes,
    base: Manifest,
    site_key: Ed25519PrivateKey,
    center: CenterPublicKey,
    out: Path,
    **changes: object,
) -> bytes:
    """A correctly signed and encrypted package around `odm` (hashes made to match)."""
    compressed = zlib.compress(odm)
    manifest = replace(manifest_for(odm, compressed, base), **changes)  # type: ignore[arg-type]
    out.unlink(missing_ok=True)
    seal(
        compressed + build_payload_tail(manifest),
        out,
        manifest.site,
        manifest.sequence,
        manifest.file_oid,
        site_key,
        center,
    )
    return out.read_bytes()
