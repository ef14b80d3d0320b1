"""Sync fixtures: data center keys, a site database, and the center database on SQLite or a real,
throwaway PostgreSQL cluster (initdb into a temp dir, loopback only, unix socket in the temp dir).

PostgreSQL server binaries come from Debian's `postgresql` package. Without them the PostgreSQL
tests fail under CI (CI=true) and are skipped with the reason elsewhere. initdb refuses to run as
root, so as root the cluster runs as the `postgres` system user (via runuser).
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

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


def _pg_bin() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PgCluster:
    base_url: str
    template: str | None = None

    def new_database(self, schema: bool = True) -> str:
        """A fresh database; with `schema`, a copy of a template that has the center's tables
        (CREATE DATABASE ... TEMPLATE takes milliseconds, creating the tables a second)."""
        if schema and self.template is None:
            self.template = self.new_database(schema=False).rsplit("/", 1)[1]
            open_center_database(f"{self.base_url}/{self.template}").close()
        name = f"center_{secrets.token_hex(4)}"
        engine = create_engine(f"{self.base_url}/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            template = f' TEMPLATE "{self.template}"' if schema else ""
            conn.execute(text(f'CREATE DATABASE "{name}"{template}'))
        engine.dispose()
        return f"{self.base_url}/{name}"


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    bindir = _pg_bin()
    if bindir is None:
        message = (
            "PostgreSQL server binaries (initdb, pg_ctl) not found: install Debian's `postgresql` "
            "package to run the data-center tests on PostgreSQL"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    runas: list[str] = []
    workdir = Path(tempfile.mkdtemp(prefix="seqtx-pg-"))
    if os.geteuid() == 0:
        pwd.getpwnam("postgres")  # KeyError: no postgres user, which the Debian package creates
        shutil.chown(workdir, "postgres")
        runas = ["runuser", "-u", "postgres", "--"]
    data, log = workdir / "data", workdir / "server.log"
    port = _free_port()
    subprocess.run(
        [
            *runas,
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
    )
    options = (
        f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    )
    subprocess.run(
        [
            *runas,
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(log),
            "-o",
            options,
            "-w",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield PgCluster(f"postgresql+psycopg://postgres@127.0.0.1:{port}")
    finally:
        subprocess.run(
            [*runas, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(workdir, ignore_errors=True)


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
