"""Sync fixtures: data center keys, a site database, and the center database on SQLite or a real,
throwaway PostgreSQL cluster (tests/sync/pgcluster.py: initdb into a temp dir, loopback only).

PostgreSQL server binaries come from Debian's `postgresql` package. Without them the PostgreSQL
tests fail under CI (CI=true) and are skipped with the reason elsewhere. initdb refuses to run as
root, so as root the cluster runs as the `postgres` system user (via runuser).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from app.sync.center_models import open_center_database
from app.sync.center_ops import register_site
from app.sync.keys import (
    CenterPrivateKeys,
    CenterPublicKey,
    SitePublicKey,
    ensure_site_signing_key,
    generate_center_keys,
    load_center_private_keys,
    raw_public,
    store_center_public_key,
)
from db.engine import Database
from tests.sync.pgcluster import PgCluster, PgUnavailable, running_cluster
from tests.sync.sitegen import SITE, SitePeople, new_site

PASSPHRASE = b"correct horse battery staple"


@dataclass
class CenterKeys:
    directory: Path
    public: CenterPublicKey
    private: CenterPrivateKeys


@pytest.fixture(scope="session")
def center_keys(tmp_path_factory: pytest.TempPathFactory) -> CenterKeys:
    directory = tmp_path_factory.mktemp("center-keys")
    public = generate_center_keys(directory, PASSPHRASE)
    return CenterKeys(directory, public, load_center_private_keys(directory, PASSPHRASE))


@dataclass
class Site:
    db: Database
    people: SitePeople
    path: Path


@pytest.fixture
def site(tmp_path: Path, center_keys: CenterKeys) -> Iterator[Site]:
    path = tmp_path / "site" / "seqtx.db"
    db, people = new_site(path)
    with db.session() as s:
        store_center_public_key(s, center_keys.public)
    yield Site(db, people, path)
    db.close()


# --- PostgreSQL ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """A real PostgreSQL server for the session; fails under CI, skips locally, when missing."""
    try:
        with running_cluster() as cluster:
            yield cluster
    except PgUnavailable as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(str(exc))
        pytest.skip(str(exc))


def register(site: Site, center: Database, now: datetime) -> None:
    """What `seqtx sync site-key` + `seqtx-center site add` do, in process."""
    with site.db.session() as s:
        key = ensure_site_signing_key(s).public_key()
    with center.session() as c:
        register_site(c, SitePublicKey(SITE, raw_public(key)), now)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def center_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'center.db'}"
    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    return cluster.new_database()


@pytest.fixture
def center_db(center_url: str) -> Iterator[Database]:
    db = open_center_database(center_url)
    yield db
    db.close()
