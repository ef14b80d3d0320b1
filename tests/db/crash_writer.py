"""A writer process for the crash test: saves forms in a loop and acknowledges each commit.

Usage: python -m tests.db.crash_writer DB_PATH KEY_HEX, then "go START" on standard input.
Save n (from START) creates form F.VS of event SE.POST[n] for subject FD-(n % 7) with five items;
when n % 4 == 3 a transaction before it corrects item IT.V1 of save n - 1 (with a reason).
"ack n" is printed and flushed only after both committed.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from db.audit import AuditContext
from db.engine import Database, create_sqlcipher_engine
from tests.db.forms import save_form

ITEMS = 5


def values_for(n: int) -> dict[tuple[str, str, str], str | None]:
    return {("IG.VS", "1", f"IT.V{i}"): f"v{n}-{i}" for i in range(1, ITEMS + 1)}


def subject_for(n: int) -> str:
    return f"FD-{n % 7:03d}"


def main(argv: list[str]) -> int:
    path, key_hex = Path(argv[0]), argv[1]
    # Started ahead of time by the test (imports take longer than the saves): wait for "go START".
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    start = int(sys.stdin.readline().split()[1])
    db = Database(create_sqlcipher_engine(path, bytes.fromhex(key_hex)), path)
    base = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
    n = start
    while True:
        now = base + timedelta(seconds=n)
        if n % 4 == 3:
            ctx = AuditContext(user_id=1, now=now, offset_minutes=480, reason=f"fix {n}")
            save_form(
                db,
                ctx,
                subject_for(n - 1),
                "SE.POST",
                str(n - 1),
                "F.VS",
                {("IG.VS", "1", "IT.V1"): f"v{n - 1}-fixed"},
            )
        ctx = AuditContext(user_id=1, now=now, offset_minutes=480)
        save_form(db, ctx, subject_for(n), "SE.POST", str(n), "F.VS", values_for(n))
        sys.stdout.write(f"ack {n}\n")
        sys.stdout.flush()
        n += 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
