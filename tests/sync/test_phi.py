"""No PHI in a sync package: every byte of the decrypted package of the demo database is scanned
for every subject's name, hospital number, exact date of birth (in the usual spellings) and
guardian, and for the users' names. The demo site is made by the services' create_demo_site with
the shipped study definition, and the package by the export service, as the app does it."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import select

from app.domain.clock import FixedClock
from app.services.auth import login
from app.services.demo import create_demo_site
from app.services.site_setup import SetupResult
from app.services.sync_export import export_for_data_center, import_center_key
from app.sync.container import decrypt, read_header
from app.sync.odm_reader import odm_schema
from app.sync.payload import split_payload
from db.models import SubjectIdentity, User
from tests.services.conftest import fast_argon2, memory_keyring  # noqa: F401 - fixtures
from tests.sync.conftest import CenterKeys

PASSWORD = "demo passphrase for the sync tests"


def date_spellings(d: date) -> list[str]:
    return [
        d.isoformat(),
        d.strftime("%Y%m%d"),
        d.strftime("%d/%m/%Y"),
        d.strftime("%m/%d/%Y"),
        d.strftime("%Y/%m/%d"),
        d.strftime("%d.%m.%Y"),
        d.strftime("%d-%m-%Y"),
        d.strftime("%d %b %Y"),
        d.strftime("%Y年%m月%d日"),
        f"{d.year}年{d.month}月{d.day}日",
    ]


@pytest.fixture
def demo(
    tmp_path: Path,
    clock: FixedClock,
    memory_keyring: object,  # noqa: F811
    fast_argon2: None,  # noqa: F811
) -> Iterator[SetupResult]:
    result = create_demo_site(tmp_path / "demo" / "seqtx.db", 6, PASSWORD, clock)
    yield result
    result.workspace.close()


def test_no_phi_in_the_decrypted_package(
    demo: SetupResult, center_keys: CenterKeys, tmp_path: Path
) -> None:
    ws = demo.workspace
    assert ws.study is not None, "the shipped study definition must load for this test"
    admin = login(ws, "admin", PASSWORD)
    key_file = center_keys.directory / "center-public.json"
    assert import_center_key(ws, admin, key_file) == center_keys.public.fingerprint
    result = export_for_data_center(ws, admin, tmp_path / "usb")
    assert result.counts["item_changes"] > 0 and result.counts["subjects"] == 6

    data = result.path.read_bytes()
    header, start = read_header(data)
    plaintext = decrypt(data, header, start, center_keys.private)
    manifest, compressed = split_payload(plaintext)
    odm = zlib.decompress(bytes(compressed))
    scanned = [data, plaintext, odm, manifest.to_bytes(), result.path.name.encode()]
    with ws.db.session() as s:
        identities = s.scalars(select(SubjectIdentity)).all()
        users = s.scalars(select(User)).all()
    assert len(identities) == 6
    needles: list[str] = []
    for ident in identities:
        needles += [ident.full_name, ident.hospital_number, *date_spellings(ident.birth_date)]
        if ident.guardian:
            needles.append(ident.guardian)
    needles += [u.full_name for u in users]
    for needle in needles:
        for encoding in ("utf-8", "utf-16-le"):
            raw = needle.encode(encoding)
            for blob in scanned:
                assert raw not in blob, f"PHI found in the package ({len(needle)} characters)"
    # The real study definition's metadata and the demo data are valid ODM 1.3.2.
    root = etree.fromstring(odm)
    schema = odm_schema()
    assert schema.validate(root), schema.error_log.last_error
    assert root.find("{http://www.cdisc.org/ns/odm/v1.3}Study") is not None
    # Users appear only as their pseudonymous OIDs.
    ns = {"o": "http://www.cdisc.org/ns/odm/v1.3"}
    user_oids = {u.get("OID") for u in root.iterfind(".//o:AdminData/o:User", ns)}
    assert {u.user_oid for u in users} <= user_oids
    assert not user_oids & {u.username for u in users}
    assert all(len(list(u)) == 0 for u in root.iterfind(".//o:AdminData/o:User", ns))
