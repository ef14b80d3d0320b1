"""A throwaway PostgreSQL cluster on loopback for tests and the bench.

initdb into a temporary directory, pg_ctl start on a free 127.0.0.1 port with the unix socket in
the same directory, trust authentication for the local `postgres` role; stopped and deleted at the
end. initdb refuses to run as root, so as root the server runs as the `postgres` system user
(created by Debian's `postgresql` package) through runuser.
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
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

from app.sync.center_models import open_center_database

MISSING = (
    "PostgreSQL server binaries (initdb, pg_ctl) not found: install Debian's `postgresql` "
    "package to run the data-center tests on PostgreSQL"
)


class PgUnavailable(Exception):
    """No PostgreSQL server binaries on this machine."""


def pg_bindir() -> Path | None:
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


@contextmanager
def running_cluster(durable: bool = False) -> Iterator[PgCluster]:
    """`durable=False` turns fsync off (tests); the bench keeps PostgreSQL's defaults."""
    bindir = pg_bindir()
    if bindir is None:
        raise PgUnavailable(MISSING)
    runas: list[str] = []
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise PgUnavailable(
                "running as root, initdb needs the `postgres` system user: " + MISSING
            ) from None
        runas = ["runuser", "-u", "postgres", "--"]
    workdir = Path(tempfile.mkdtemp(prefix="seqtx-pg-"))
    if runas:
        shutil.chown(workdir, "postgres")
    data, log = workdir / "data", workdir / "server.log"
    port = _free_port()
    try:
        initdb = [str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"]
        subprocess.run(
            [*runas, *initdb, "-E", "UTF8", "--no-sync"], check=True, capture_output=True
        )
        options = f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1"
        if not durable:
            options += " -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        pg_ctl = [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log)]
        subprocess.run(
            [*runas, *pg_ctl, "-o", options, "-w", "start"], check=True, capture_output=True
        )
        try:
            yield PgCluster(f"postgresql+psycopg://postgres@127.0.0.1:{port}")
        finally:
            subprocess.run(
                [*runas, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                check=False,
                capture_output=True,
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
