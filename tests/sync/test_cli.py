"""The whole exchange through the real command lines, as separate processes: `seqtx sync ...` at
the site (demo database opened with its recovery code) and `seqtx-center ...` at the data center."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.clock import FixedClock
from app.services.demo import create_demo_site
from app.services.site_setup import SetupResult
from tests.services.conftest import fast_argon2, memory_keyring  # noqa: F401 - fixtures

PASSWORD = "demo passphrase for the sync tests"
BIN = Path(sys.executable).parent


def run(tool: str, *args: str, stdin: str = "", code: int = 0) -> str:
    proc = subprocess.run(
        [str(BIN / tool), *args], input=stdin, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == code, proc.stdout + proc.stderr
    return proc.stdout + proc.stderr


@pytest.fixture
def demo(
    tmp_path: Path,
    clock: FixedClock,
    memory_keyring: object,  # noqa: F811
    fast_argon2: None,  # noqa: F811
) -> Iterator[SetupResult]:
    result = create_demo_site(tmp_path / "demo" / "seqtx.db", 3, PASSWORD, clock)
    result.workspace.close()
    yield result


def test_exchange_through_both_command_lines(demo: SetupResult, tmp_path: Path) -> None:
    db = str(demo.workspace.db_path)
    center = str(tmp_path / "center.db")
    keys, usb, acks = tmp_path / "keys", tmp_path / "usb", tmp_path / "acks"
    secrets = f"{demo.recovery_code}\n{PASSWORD}\n"
    login = ["--user", "admin", "--password-stdin", "--recovery-code-stdin"]

    out = run(
        "seqtx-center", "keygen", "--out", str(keys), "--password-stdin", stdin="center pass\n"
    )
    fingerprint = out.split("fingerprint: ")[1].split("\n")[0]
    out = run(
        "seqtx",
        "sync",
        "center-key",
        "--db",
        db,
        str(keys / "center-public.json"),
        *login,
        stdin=secrets,
    )
    assert fingerprint in out
    run(
        "seqtx",
        "sync",
        "site-key",
        "--db",
        db,
        "--out",
        str(tmp_path / "site.json"),
        *login,
        stdin=secrets,
    )
    assert json.loads((tmp_path / "site.json").read_text())["site"] == "FD"
    assert "registered" in run(
        "seqtx-center", "site", "add", "--db", center, "--public-key", str(tmp_path / "site.json")
    )

    out = run("seqtx", "sync", "export", "--db", db, "--out", str(usb), *login, stdin=secrets)
    package = usb / "SEQTX-FD-000001.stx"
    assert package.exists() and "package 1 written" in out
    assert "not yet acknowledged: 1" in run(
        "seqtx", "sync", "status", "--db", db, *login, stdin=secrets
    )

    tampered = tmp_path / "tampered.stx"
    data = bytearray(package.read_bytes())
    data[len(data) // 2] ^= 0xFF
    tampered.write_bytes(bytes(data))
    out = run(
        "seqtx-center",
        "import",
        "--db",
        center,
        "--key-dir",
        str(keys),
        "--password-stdin",
        "--ack-out",
        str(acks),
        str(tampered),
        stdin="center pass\n",
        code=3,
    )
    assert "REJECTED" in out and "[signature.invalid]" in out and not acks.exists()

    out = run(
        "seqtx-center",
        "import",
        "--db",
        center,
        "--key-dir",
        str(keys),
        "--password-stdin",
        "--ack-out",
        str(acks),
        str(package),
        stdin="center pass\n",
    )
    assert "sequence 1: applied" in out
    out = run("seqtx-center", "status", "--db", center)
    assert "site FD" in out and "chain at 1" in out
    run(
        "seqtx-center",
        "export",
        "--db",
        center,
        "--format",
        "dataset-json",
        "--out",
        str(tmp_path / "ds"),
    )
    assert any((tmp_path / "ds").glob("*.json"))
    (ack,) = acks.glob("*.sta")
    out = run("seqtx", "sync", "ack", "--db", db, str(ack), *login, stdin=secrets)
    assert "packages received 1" in out
    assert "not yet acknowledged: none" in run(
        "seqtx", "sync", "status", "--db", db, *login, stdin=secrets
    )

    out = run(
        "seqtx-center",
        "import",
        "--db",
        center,
        "--key-dir",
        str(keys),
        "--password-stdin",
        str(package),
        stdin="wrong pass\n",
        code=3,
    )
    assert "[key.passphrase]" in out
