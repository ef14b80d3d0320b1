"""Bad packages are refused with a specific reason; the central database and the disk stay as they
were. (The import writes no file at all; acknowledgements are written only by the CLI after a
successful import. Rejection time is reported by bench/bench_sync.py, not asserted here.)"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from app.sync.center_import import import_package
from app.sync.center_models import CenterConflict, CenterPackage, open_center_database
from app.sync.container import seal
from app.sync.errors import REJECTION_CODES, SyncRejected
from app.sync.keys import (
    ensure_site_signing_key,
    generate_center_keys,
    store_center_public_key,
)
from app.sync.payload import Manifest, build_payload_tail
from app.sync.site_export import export_package
from db.engine import Database
from db.models import AuditRecord, ItemData, Signature, Subject, User
from tests.sync.conftest import CenterKeys, Site, register
from tests.sync.craft import manifest_for, open_payload, reseal
from tests.sync.sitegen import T0, edit_values, mini_study, new_site


@dataclass
class Scene:
    center: Database
    keys: CenterKeys
    site_key: Ed25519PrivateKey
    second: bytes  # a valid package 2 (package 1 is applied)
    manifest: Manifest  # package 2's manifest
    odm: bytes  # package 2's ODM
    work: Path


def fingerprint(db: Database) -> tuple[object, ...]:
    """Everything an import could change, reduced to comparable numbers and hashes."""
    with db.session() as s:
        values = s.execute(select(ItemData.id, ItemData.value).order_by(ItemData.id)).all()
        return (
            hashlib.sha256(repr(values).encode()).hexdigest(),
            s.scalar(select(func.count(AuditRecord.id))),
            s.scalar(select(func.count(Subject.id))),
            s.scalar(select(func.count(User.id))),
            s.scalar(select(func.count(Signature.id))),
            s.scalar(select(func.count(CenterPackage.id))),
            s.scalar(select(func.count(CenterConflict.id))),
        )


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


def build_scene(root: Path, center: Database, keys: CenterKeys) -> Scene:
    """Package 1 applied at the center; package 2 written and not yet imported."""
    study = mini_study()
    db, people = new_site(root / "site" / "seqtx.db")
    site = Site(db, people, root / "site" / "seqtx.db")
    with db.session() as s:
        store_center_public_key(s, keys.public)
    register(site, center, T0)
    with db.session() as s:
        first = export_package(s, study, root / "pkgs", T0 + timedelta(days=1))
        site_key = ensure_site_signing_key(s)
    import_package(center, first.path.read_bytes(), keys.private, T0)
    edit_values(db, 3, T0 + timedelta(days=2))
    with db.session() as s:
        second = export_package(s, study, root / "pkgs", T0 + timedelta(days=2, hours=1))
    db.close()
    data = second.path.read_bytes()
    manifest, odm = open_payload(data, keys.private)
    work = root / "work"
    work.mkdir()
    return Scene(center, keys, site_key, data, manifest, odm, work)


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory, center_keys: CenterKeys) -> Iterator[Scene]:
    """Shared by the tests that must leave the center unchanged (SQLite: refused before any
    database work, or inside a rolled-back transaction)."""
    root = tmp_path_factory.mktemp("scene")
    center = open_center_database(f"sqlite:///{root / 'center.db'}")
    yield build_scene(root, center, center_keys)
    center.close()


@pytest.fixture
def fresh_scene(center_db: Database, center_keys: CenterKeys, tmp_path: Path) -> Scene:
    """Its own center database, on SQLite and on PostgreSQL, for tests that apply or compare."""
    return build_scene(tmp_path, center_db, center_keys)


def _refused(scene: Scene, data: bytes, code: str) -> SyncRejected:
    before_db = fingerprint(scene.center)
    before_files = files_under(scene.work.parent)
    with pytest.raises(SyncRejected) as info:
        import_package(scene.center, data, scene.keys.private, T0 + timedelta(days=9))
    assert info.value.code == code, str(info.value)
    assert fingerprint(scene.center) == before_db
    assert files_under(scene.work.parent) == before_files
    message = str(info.value)
    assert REJECTION_CODES[code] in message and "Zhangsan" not in message
    return info.value


def _odm(scene: Scene, edit: Callable[[str], str], **manifest: object) -> bytes:
    return reseal(
        edit(scene.odm.decode()).encode(),
        scene.manifest,
        scene.site_key,
        scene.keys.public,
        scene.work / "crafted.stx",
        **manifest,
    )


def test_the_valid_package_is_accepted(fresh_scene: Scene) -> None:
    scene = fresh_scene
    assert import_package(scene.center, scene.second, scene.keys.private, T0).status == "applied"


@pytest.mark.parametrize("where", [0.0, 0.01, 0.5, 0.99, 1.0])
def test_any_changed_byte_is_refused(scene: Scene, where: float) -> None:
    data = bytearray(scene.second)
    pos = min(len(data) - 1, int(len(data) * where))
    data[pos] ^= 0x01
    err = _refused_any(scene, bytes(data))
    assert err.code in ("container.magic", "container.header", "signature.invalid")


def _refused_any(scene: Scene, data: bytes) -> SyncRejected:
    before = fingerprint(scene.center)
    with pytest.raises(SyncRejected) as info:
        import_package(scene.center, data, scene.keys.private, T0)
    assert fingerprint(scene.center) == before
    return info.value


@pytest.mark.parametrize("keep", [0, 5, 12, 200, -1, -64, -80])
def test_truncated_package(scene: Scene, keep: int) -> None:
    data = scene.second[:keep]
    err = _refused_any(scene, data)
    assert err.code in (
        "container.magic",
        "container.truncated",
        "container.header",
        "signature.invalid",
    )


def test_replay_with_different_content(fresh_scene: Scene) -> None:
    scene = fresh_scene
    import_package(scene.center, scene.second, scene.keys.private, T0)
    other = _odm(
        scene, lambda x: x.replace('TransactionType="Update"', 'TransactionType="Upsert"', 1)
    )
    _refused(scene, other, "chain.replay")


def test_unknown_site(scene: Scene) -> None:
    stranger = Ed25519PrivateKey.generate()
    data = reseal(scene.odm, scene.manifest, stranger, scene.keys.public, scene.work / "x.stx")
    _refused(scene, data, "signature.invalid")  # the site is known: its key does not match
    foreign = replace(scene.manifest, site="ZZ")
    data = reseal(scene.odm, foreign, stranger, scene.keys.public, scene.work / "y.stx")
    _refused(scene, data, "site.unknown")


def test_encrypted_to_another_data_center(scene: Scene, tmp_path: Path) -> None:
    other = generate_center_keys(tmp_path / "other-center", None)
    data = reseal(scene.odm, scene.manifest, scene.site_key, other, scene.work / "x.stx")
    _refused(scene, data, "recipient.other")


def test_not_valid_odm(fresh_scene: Scene) -> None:
    scene = fresh_scene
    data = _odm(
        scene,
        lambda x: x.replace("<ItemData ", "<ItemDatum ", 1).replace(
            "</ItemData>", "</ItemDatum>", 1
        ),
    )
    _refused(scene, data, "odm.invalid")
    data = _odm(scene, lambda x: x.replace('FileType="Transactional"', 'FileType="Nonsense"'))
    _refused(scene, data, "odm.invalid")


def test_not_well_formed_xml(scene: Scene) -> None:
    data = _odm(scene, lambda x: x.replace("</ClinicalData>", ""))
    _refused(scene, data, "xml.malformed")


def test_xxe_external_entity(scene: Scene) -> None:
    def xxe(x: str) -> str:
        head, body = x.split("?>", 1)
        doctype = '<!DOCTYPE ODM [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        return head + "?>" + doctype + body.replace('Value="', 'Value="&xxe;', 1)

    _refused(scene, _odm(scene, xxe), "xml.doctype")


def test_billion_laughs(scene: Scene) -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    )

    def laughs(x: str) -> str:
        head, body = x.split("?>", 1)
        return head + f"?><!DOCTYPE ODM [{entities}]>" + body.replace('Value="', 'Value="&lol9;', 1)

    _refused(scene, _odm(scene, laughs), "xml.doctype")


def test_external_schema_or_network_reference_is_not_fetched(scene: Scene) -> None:
    def xinclude(x: str) -> str:
        return x.replace(
            "<AdminData",
            '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="http://127.0.0.1:9/x"/><AdminData',
            1,
        )

    _refused(scene, _odm(scene, xinclude), "odm.invalid")


@pytest.mark.parametrize("site_code", ["../../etc", "/etc/passwd", "FD/../X", "..", "C:\\x"])
def test_path_tricks_in_the_header(scene: Scene, site_code: str) -> None:
    target = scene.work / "evil.stx"
    target.unlink(missing_ok=True)
    seal(b"payload", target, site_code, 2, "OID", scene.site_key, scene.keys.public)
    _refused(scene, target.read_bytes(), "container.header")


@pytest.mark.parametrize("file_oid", ["../x", "/abs/path", "a/b", "x" * 65])
def test_path_tricks_in_the_file_oid(scene: Scene, file_oid: str) -> None:
    target = scene.work / "evil.stx"
    target.unlink(missing_ok=True)
    seal(b"payload", target, "FD", 2, file_oid, scene.site_key, scene.keys.public)
    _refused(scene, target.read_bytes(), "container.header")


def test_an_archive_with_path_tricks_is_not_a_package(scene: Scene) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../outside.txt", "x")
        archive.writestr("/etc/cron.d/evil", "x")
    _refused(scene, buffer.getvalue(), "container.magic")
    assert not (scene.work.parent.parent / "outside.txt").exists()


def test_manifest_that_contradicts_the_header(scene: Scene) -> None:
    compressed = zlib.compress(scene.odm)
    manifest = manifest_for(scene.odm, compressed, scene.manifest)  # says sequence 2
    target = scene.work / "mismatch.stx"
    target.unlink(missing_ok=True)
    header_sequence = 3
    seal(
        compressed + build_payload_tail(manifest),
        target,
        "FD",
        header_sequence,
        manifest.file_oid,
        scene.site_key,
        scene.keys.public,
    )
    _refused(scene, target.read_bytes(), "manifest.mismatch")


def test_wrong_odm_hash(scene: Scene) -> None:
    data = _odm(scene, lambda x: x, odm_sha256="0" * 64)
    _refused(scene, data, "hash.mismatch")


def test_broken_prior_file_chain(fresh_scene: Scene) -> None:
    scene = fresh_scene
    data = _odm(
        scene,
        lambda x: x.replace(scene.manifest.prior_file_oid or "", "SEQTX.FD.000001.deadbeef"),
        prior_file_oid="SEQTX.FD.000001.deadbeef",
    )
    _refused(scene, data, "chain.broken")


def test_insert_of_an_existing_value_and_update_of_a_missing_one_are_listed(
    fresh_scene: Scene,
) -> None:
    scene = fresh_scene

    def rewrite(x: str) -> str:
        first = x.index('TransactionType="Update"')
        x = x[:first] + 'TransactionType="Insert"' + x[first + len('TransactionType="Update"') :]
        return x.replace(
            'ItemOID="IT.LB.ANC" TransactionType="Update"',
            'ItemOID="IT.LB.GONE" TransactionType="Update"',
            1,
        )

    data = _odm(scene, rewrite)
    outcome = import_package(scene.center, data, scene.keys.private, T0)
    assert outcome.status == "applied" and outcome.stats.conflicts == 2
    with scene.center.session() as s:
        kinds = {c.kind: c.reason for c in s.scalars(select(CenterConflict))}
    assert kinds == {
        "insert_existing": "Insert of a value that already exists",
        "update_missing": "Update of a value the data center does not have",
    }


def test_key_dir_with_a_wrong_passphrase(center_keys: CenterKeys) -> None:
    from app.sync.keys import load_center_private_keys

    with pytest.raises(SyncRejected) as info:
        load_center_private_keys(center_keys.directory, b"wrong")
    assert info.value.code == "key.passphrase"
    assert os.path.exists(center_keys.directory / "center-x25519.pem")


def test_an_over_long_container_key_is_refused_before_any_value(scene: Scene) -> None:
    """Valid ODM (an OID is any string) but longer than the center's columns: refused with the
    reason, never a database error halfway through the transaction."""
    data = _odm(scene, lambda x: x.replace('ItemGroupOID="IG.LAB"', f'ItemGroupOID="{"G" * 65}"'))
    error = _refused(scene, data, "odm.content")
    assert "longer than SeqTx stores" in str(error)


def test_remove_then_insert_again_in_one_package(fresh_scene: Scene) -> None:
    """A value removed and entered again in the same package: the center ends with the new value
    under the same key, one delete and one insert in its trail, and the chain verifies."""
    from lxml import etree

    from app.sync.odm_metadata import ODM_NS
    from db.audit import verify_chain

    scene = fresh_scene
    ns = f"{{{ODM_NS}}}"
    root = etree.fromstring(scene.odm)
    update = next(el for el in root.iter(f"{ns}ItemData") if el.get("TransactionType") == "Update")
    update.set("TransactionType", "Remove")
    again = etree.fromstring(etree.tostring(update))
    again.set("TransactionType", "Insert")
    again.set("Value", "4.20")
    for annotation in again.findall(f"{ns}Annotation"):
        again.remove(annotation)
    update.addnext(again)
    odm = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    data = reseal(odm, scene.manifest, scene.site_key, scene.keys.public, scene.work / "r.stx")
    item_oid = update.get("ItemOID")
    with scene.center.session() as s:
        before = s.scalar(select(func.count(ItemData.id)).where(ItemData.item_oid == item_oid))
    outcome = import_package(scene.center, data, scene.keys.private, T0)
    assert outcome.status == "applied" and outcome.stats.conflicts == 0
    with scene.center.session() as s:
        values = s.scalars(select(ItemData.value).where(ItemData.item_oid == item_oid)).all()
        assert len(values) == before and "4.20" in values
        actions = s.scalars(
            select(AuditRecord.action).order_by(AuditRecord.id.desc()).limit(outcome.stats.applied)
        ).all()
        assert actions.count("delete") == 1 and actions.count("insert") == 1
        assert verify_chain(s).ok
