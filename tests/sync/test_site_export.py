"""Site export details: an interrupted export leaves nothing and does not advance the sequence;
metadata is sent again when the definition version changes; keys and status."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import select

from app.sync import site_export
from app.sync.errors import SyncRejected
from app.sync.keys import (
    CENTER_KEY_SETTING,
    ensure_site_signing_key,
    load_center_public_key,
    raw_public,
)
from app.sync.odm_reader import odm_schema
from app.sync.site_ack import sync_status
from app.sync.site_export import export_package
from db.models import Secret, Setting, SyncBatch
from tests.sync.conftest import CenterKeys, Site
from tests.sync.craft import open_payload
from tests.sync.sitegen import T0, edit_values, mini_study


def test_an_interrupted_export_leaves_nothing_and_keeps_the_sequence(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "usb"
    real = site_export.write_document

    def crash_midway(sink, *args, **kwargs):  # type: ignore[no-untyped-def]
        sink.write(b"<?xml version='1.0'?><ODM>" + b"x" * 100_000)
        raise OSError("the USB stick was pulled out")

    monkeypatch.setattr(site_export, "write_document", crash_midway)
    with pytest.raises(OSError), site.db.session() as s:
        export_package(s, mini_study(), out, T0)
    assert list(out.iterdir()) == []  # no final file, no temporary file
    with site.db.session() as s:
        assert s.scalars(select(SyncBatch)).all() == []
    monkeypatch.setattr(site_export, "write_document", real)
    with site.db.session() as s:
        result = export_package(s, mini_study(), out, T0)
    assert result.sequence == 1 and [p.name for p in out.iterdir()] == ["SEQTX-FD-000001.stx"]


def test_metadata_again_when_the_definition_version_changes(
    site: Site, tmp_path: Path, center_keys: CenterKeys
) -> None:
    with site.db.session() as s:
        first = export_package(s, mini_study(), tmp_path, T0)
    edit_values(site.db, 1, T0 + timedelta(hours=1))
    with site.db.session() as s:
        same = export_package(s, mini_study(), tmp_path, T0 + timedelta(hours=2))
    with site.db.session() as s:
        changed = export_package(s, mini_study("MDV.SEQTX.2"), tmp_path, T0 + timedelta(hours=3))
    assert (first.includes_metadata, same.includes_metadata, changed.includes_metadata) == (
        True,
        False,
        True,
    )
    _, odm = open_payload(first.path.read_bytes(), center_keys.private)
    root = etree.fromstring(odm)
    assert odm_schema().validate(root), odm_schema().error_log
    ns = {"o": "http://www.cdisc.org/ns/odm/v1.3"}
    mdv = root.find("o:Study/o:MetaDataVersion", ns)
    assert mdv is not None and mdv.get("OID") == "MDV.SEQTX.1"
    item_defs = {e.get("OID") for e in mdv.iterfind("o:ItemDef", ns)}
    assert "IT.LB.ANC" in item_defs and "IT.DM.INITIALS" not in item_defs  # PHI item left out
    # ... and its values are not sent either.
    assert b"IT.DM.INITIALS" not in odm
    assert root.get("AsOfDateTime") and root.get("CreationDateTime")
    assert changed.prior_file_oid == same.file_oid


def test_export_without_the_center_key_is_refused(site: Site, tmp_path: Path) -> None:
    with site.db.session() as s:
        s.delete(s.get(Setting, CENTER_KEY_SETTING))
    with pytest.raises(SyncRejected) as info, site.db.session() as s:
        export_package(s, mini_study(), tmp_path, T0)
    assert info.value.code == "key.missing"


def test_the_signing_key_is_made_once_and_kept_in_the_database(site: Site) -> None:
    with site.db.session() as s:
        first = raw_public(ensure_site_signing_key(s).public_key())
    with site.db.session() as s:
        again = raw_public(ensure_site_signing_key(s).public_key())
        assert s.scalars(select(Secret)).one().name == "sync.site_ed25519"
    assert first == again


def test_status_warns_after_30_days_without_acknowledgement(site: Site, tmp_path: Path) -> None:
    with site.db.session() as s:
        export_package(s, mini_study(), tmp_path, T0)
        early = sync_status(s, T0 + timedelta(days=29))
        late = sync_status(s, T0 + timedelta(days=30))
        s.add(Setting(key="sync_ack_warning_days", value="45"))
        s.flush()
        configured = sync_status(s, T0 + timedelta(days=30))
    assert early.unacknowledged == [1] and not early.warning
    assert late.warning and late.days_without_ack == 30
    assert not configured.warning and configured.warn_after_days == 45


def test_center_public_key_file_round_trip(center_keys: CenterKeys) -> None:
    key = load_center_public_key(center_keys.directory / "center-public.json")
    assert key == center_keys.public and len(key.fingerprint.split()) == 8
