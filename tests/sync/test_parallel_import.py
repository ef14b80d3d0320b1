"""A large package is parsed and validated in a reader process while this process applies it: the
central content is the in-process import's, row for row (audit hash chain included), a schema error
late in the package rolls everything back with the same message, a refusal by the applier gives
the in-process reason (a later schema error included), and no reader process is left behind.

The size threshold is lowered here (and raised for the in-process side) so that a few-subject
package takes either path; no test measures time.
"""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import inspect, select, table, text

import app.sync.center_import as center_import
import app.sync.parallel_read as parallel_read
from app.sync.center_import import import_package
from app.sync.center_models import open_center_database
from app.sync.center_ops import register_site
from app.sync.errors import SyncRejected
from app.sync.keys import (
    SitePublicKey,
    ensure_site_signing_key,
    raw_public,
    store_center_public_key,
)
from app.sync.odm_reader import DocumentHead, ItemTx, SignatureTx, read_document
from app.sync.payload import Inflater, Manifest, split_payload
from app.sync.site_export import export_package
from db.engine import Database
from tests.sync.conftest import CenterKeys
from tests.sync.craft import open_payload, reseal
from tests.sync.pgcluster import PgCluster
from tests.sync.sitegen import SITE, T0, bulk_site, mini_study

N_SUBJECTS = 3  # 3 x 2,016 values: several batches through the pipe


@dataclass
class Big:
    data: bytes
    manifest: Manifest
    odm: bytes
    site_key: Ed25519PrivateKey
    keys: CenterKeys
    work: Path


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory, center_keys: CenterKeys) -> Big:
    root = tmp_path_factory.mktemp("parallel")
    site, _ = bulk_site(root / "site.db", N_SUBJECTS)
    with site.session() as s:
        store_center_public_key(s, center_keys.public)
        package = export_package(s, mini_study(), root / "pkgs", T0 + timedelta(days=1))
        site_key = ensure_site_signing_key(s)
    site.close()
    data = package.path.read_bytes()
    manifest, odm = open_payload(data, center_keys.private)
    return Big(data, manifest, odm, site_key, center_keys, root)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def two_centers(
    request: pytest.FixtureRequest, tmp_path: Path, big: Big
) -> Iterator[tuple[Database, Database]]:
    if request.param == "sqlite":
        urls = [f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"]
    else:
        cluster: PgCluster = request.getfixturevalue("pg_cluster")
        urls = [cluster.new_database(), cluster.new_database()]
    centers = [open_center_database(url) for url in urls]
    for center in centers:
        with center.session() as c:
            register_site(c, SitePublicKey(SITE, raw_public(big.site_key.public_key())), T0)
    yield centers[0], centers[1]
    for center in centers:
        center.close()


def _dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with db.session() as s:
        inspector = inspect(s.connection())
        for name in sorted(inspector.get_table_names()):
            if name == "alembic_version":
                continue
            columns = [c["name"] for c in inspector.get_columns(name)]
            key = inspector.get_pk_constraint(name)["constrained_columns"] or columns
            query = select(*(text(f'"{c}"') for c in columns)).select_from(table(name))
            rows = s.execute(query.order_by(*(text(f'"{c}"') for c in key))).all()
            out[name] = [tuple(row) for row in rows]
    return out


class _Paths:
    """Forces one path or the other and counts the reader processes started."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.started = 0
        real = center_import.read_document_parallel

        def counted(*args: Any) -> DocumentHead:
            self.started += 1
            return real(*args)

        monkeypatch.setattr(center_import, "read_document_parallel", counted)

    def parallel(self, on: bool) -> None:
        self.monkeypatch.setattr(parallel_read, "PARALLEL_MIN_ODM_BYTES", 0 if on else 1 << 60)


@pytest.fixture
def paths(monkeypatch: pytest.MonkeyPatch) -> _Paths:
    if not parallel_read.parallel_available():
        pytest.skip("no fork on this platform: the import always runs in-process")
    return _Paths(monkeypatch)


def _outcome(center: Database, data: bytes, big: Big) -> str:
    try:
        outcome = import_package(center, data, big.keys.private, T0 + timedelta(days=1))
    except SyncRejected as exc:
        return f"rejected: {exc}"
    finally:
        assert multiprocessing.active_children() == []
    return f"{outcome.status} {outcome.stats.applied}"


def test_the_reader_process_gives_the_same_central_content(
    two_centers: tuple[Database, Database], big: Big, paths: _Paths
) -> None:
    inproc, parallel = two_centers
    paths.parallel(False)
    first = _outcome(inproc, big.data, big)
    assert paths.started == 0
    paths.parallel(True)
    assert _outcome(parallel, big.data, big) == first
    assert paths.started == 1
    assert first == f"applied {N_SUBJECTS * 2016}"
    a, b = _dump(inproc), _dump(parallel)
    assert len(a["audit_records"]) >= N_SUBJECTS * 2016
    assert a == b  # same ids, values, timestamps and audit hashes, table by table
    assert _outcome(parallel, big.data, big) == "duplicate 0"


def _spoil_last_item(odm: bytes) -> bytes:
    """The last ItemData renamed: a schema error after thousands of values were applied."""
    start = odm.rindex(b"<ItemData ")
    end = odm.rindex(b"</ItemData>")
    return odm[:start] + b"<ItemDatum " + odm[start + 10 : end] + b"</ItemDatum>" + odm[end + 11 :]


def test_a_late_schema_error_rolls_back_everything_with_the_same_message(
    two_centers: tuple[Database, Database], big: Big, paths: _Paths
) -> None:
    data = reseal(
        _spoil_last_item(big.odm), big.manifest, big.site_key, big.keys.public, big.work / "x"
    )
    inproc, parallel = two_centers
    before = _dump(inproc)
    assert _dump(parallel) == before
    paths.parallel(False)
    message = _outcome(inproc, data, big)
    paths.parallel(True)
    assert _outcome(parallel, data, big) == message
    assert paths.started == 1
    assert message.startswith("rejected: ") and "[odm.invalid]" in message
    assert _dump(inproc) == before
    assert _dump(parallel) == before


class _Refuser:
    """A handler that refuses the n-th ItemData (or a Signature) as the applier would."""

    def __init__(self, at: int, code: str) -> None:
        self.at, self.code, self.seen = at, code, 0

    def admin(self, head: DocumentHead) -> None:
        return None

    def item(self, tx: ItemTx) -> None:
        self.seen += 1
        if self.seen == self.at:
            raise SyncRejected(self.code, f"item {self.seen} {tx.audit_path}")

    def signature(self, tx: SignatureTx) -> None:
        return None


def _read(odm: bytes, big: Big, handler: _Refuser, parallel: bool) -> str:
    data = reseal(odm, big.manifest, big.site_key, big.keys.public, big.work / "r")
    site_key = raw_public(big.site_key.public_key())
    opened = center_import.open_package(data, site_key, big.keys.private)
    manifest, compressed = split_payload(opened.plaintext)
    try:
        if parallel:
            parallel_read.read_document_parallel(compressed, manifest, handler)
        else:
            read_document(Inflater(compressed), manifest, handler)
    except SyncRejected as exc:
        return str(exc)
    finally:
        assert multiprocessing.active_children() == []
    return "read"


@pytest.mark.parametrize("spoiled", [False, True], ids=["valid", "late-schema-error"])
@pytest.mark.parametrize("code", ["odm.content", "chain.broken"], ids=["drained", "not-drained"])
@pytest.mark.parametrize("at", [1, 2500, 10**9], ids=["first", "middle", "never"])
def test_a_refusal_by_the_applier_gives_the_in_process_reason(
    big: Big, paths: _Paths, spoiled: bool, code: str, at: int
) -> None:
    odm = _spoil_last_item(big.odm) if spoiled else big.odm
    expected = _read(odm, big, _Refuser(at, code), parallel=False)
    assert _read(odm, big, _Refuser(at, code), parallel=True) == expected
    if at == 10**9:
        assert (expected == "read") is not spoiled
    elif code == "odm.content" and spoiled:  # drained: the later schema error is the reason
        assert "[odm.invalid]" in expected
    else:
        assert f"[{code}]" in expected


def test_a_child_that_dies_is_reported_and_joined(big: Big, paths: _Paths) -> None:
    def die(*args: Any) -> None:
        raise SystemExit(3)

    paths.monkeypatch.setattr(parallel_read, "read_events", die)
    with pytest.raises(RuntimeError, match="reader process failed"):
        _read(big.odm, big, _Refuser(10**9, "odm.content"), parallel=True)
    assert multiprocessing.active_children() == []


def test_small_packages_stay_in_process(big: Big) -> None:
    assert big.manifest.odm_bytes < parallel_read.PARALLEL_MIN_ODM_BYTES
    assert not parallel_read.use_reader_process(big.manifest)
    assert re.search(rb"<ItemData ", big.odm)


class _Interrupted(_Refuser):
    def item(self, tx: ItemTx) -> None:
        raise KeyboardInterrupt


def test_an_interrupt_while_applying_ends_the_reader_process(big: Big, paths: _Paths) -> None:
    with pytest.raises(KeyboardInterrupt):
        _read(big.odm, big, _Interrupted(1, "odm.content"), parallel=True)
    assert multiprocessing.active_children() == []
