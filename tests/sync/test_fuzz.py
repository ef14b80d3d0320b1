"""Fuzzing the data-center import with hypothesis: thousands of mutated packages produce only the
documented rejections (SyncRejected with a code from REJECTION_CODES), never another exception,
and never change the central database.

Two levels: mutations of the encrypted file (stopped by the layout or signature checks), and
mutations of the ODM that are then signed with the test site's key and encrypted, so they reach
the decompressor, the hardened parser, the schema and the applier (run in a transaction that is
always rolled back)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.sync.center_apply import Applier
from app.sync.center_import import import_package, open_package
from app.sync.center_models import open_center_database
from app.sync.errors import REJECTION_CODES, SyncRejected
from app.sync.odm_reader import read_document
from app.sync.payload import Inflater, split_payload
from tests.sync.conftest import CenterKeys
from tests.sync.craft import reseal
from tests.sync.test_rejections import Scene, build_scene, fingerprint

NOW = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
TOKENS = [
    b"<!DOCTYPE x>",
    b'<!ENTITY e "x">',
    b"&e;",
    b"&amp;",
    b"&#0;",
    b"&#xD800;",
    b"<![CDATA[x]]>",
    b"<?pi x?>",
    b"<!-- c -->",
    b'TransactionType="Insert"',
    b'TransactionType="Remove"',
    b'TransactionType="Context"',
    b'<ItemData ItemOID="IT.X" TransactionType="Update" Value="1"/>',
    b'xmlns:x="urn:x"',
    b'Value="' + b"9" * 80 + b'"',
    b"\x00",
    b"\xff\xfe",
    b"</ItemGroupData>",
    b'<SubjectData SubjectKey="" TransactionType="Upsert">',
    b"T00:00:00+14:00",
    b"0001-01-01T00:00:00+08:00",
]


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def fuzz_scene(
    tmp_path_factory: pytest.TempPathFactory, center_keys: CenterKeys
) -> Iterator[Scene]:
    root = tmp_path_factory.mktemp("fuzz")
    center = open_center_database(f"sqlite:///{root / 'center.db'}")
    yield build_scene(root, center, center_keys)
    center.close()


def _mutate(data: bytes, ops: list[tuple[int, int, int, bytes]]) -> bytes:
    out = bytearray(data)
    for kind, a, b, token in ops:
        if not out:
            break
        i = a % len(out)
        if kind == 0:  # flip one byte
            out[i] ^= (b % 255) + 1
        elif kind == 1:  # truncate
            del out[i:]
        elif kind == 2:  # delete a slice
            del out[i : i + 1 + b % 64]
        elif kind == 3:  # insert a token
            out[i:i] = token
        else:  # duplicate a slice
            out[i:i] = out[i : i + 1 + b % 128]
    return bytes(out)


OPS = st.lists(
    st.tuples(
        st.integers(0, 4),
        st.integers(0, 2**31),
        st.integers(0, 2**16),
        st.sampled_from(TOKENS),
    ),
    min_size=1,
    max_size=3,
)


@settings(max_examples=2000, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(ops=OPS)
def test_mutated_encrypted_packages_are_refused(
    fuzz_scene: Scene, ops: list[tuple[int, int, int, bytes]]
) -> None:
    data = _mutate(fuzz_scene.second, ops)
    if data == fuzz_scene.second:
        return
    before = fingerprint(fuzz_scene.center)
    with pytest.raises(SyncRejected) as info:
        import_package(fuzz_scene.center, data, fuzz_scene.keys.private, NOW)
    assert info.value.code in REJECTION_CODES
    assert fingerprint(fuzz_scene.center) == before


@settings(max_examples=1500, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(ops=OPS)
def test_mutated_odm_signed_by_the_site_reaches_the_parser_and_is_refused_or_applies_cleanly(
    fuzz_scene: Scene, ops: list[tuple[int, int, int, bytes]]
) -> None:
    odm = _mutate(fuzz_scene.odm, ops)
    target = fuzz_scene.work / "fuzz.stx"
    with mock.patch("app.sync.container.os.fsync"):  # durability is not under test here
        data = reseal(odm, fuzz_scene.manifest, fuzz_scene.site_key, fuzz_scene.keys.public, target)
    site_key = fuzz_scene.site_key.public_key().public_bytes_raw()
    session = fuzz_scene.center.new_session()
    try:
        with session.begin():
            opened = open_package(data, site_key, fuzz_scene.keys.private)
            manifest, compressed = split_payload(opened.plaintext)
            applier = Applier(session, manifest.site, manifest.file_oid, NOW)
            read_document(Inflater(compressed), manifest, applier)
            applier.finish()
            raise _Rollback
    except _Rollback:
        pass  # a mutation that is still a valid SeqTx document: applied, then rolled back
    except SyncRejected as exc:
        assert exc.code in REJECTION_CODES
    finally:
        session.close()
