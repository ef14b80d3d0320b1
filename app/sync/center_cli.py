"""`seqtx-center`: the data center's command line (keys, sites, import, status, export, queries).

--db takes an SQLAlchemy URL (`postgresql+psycopg://...`) or a plain path to an SQLite file.
Exit codes: 0 done, 1 error, 2 usage, 3 a package or key was rejected (the reason is printed).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from app import __version__
from app.sync.center_export import form_tables, write_csv, write_dataset_json
from app.sync.center_import import import_package
from app.sync.center_models import open_center_database
from app.sync.center_ops import (
    CenterError,
    center_status,
    raise_query,
    register_site,
    write_site_ack,
)
from app.sync.errors import SyncRejected
from app.sync.keys import generate_center_keys, load_center_private_keys, load_site_public_key
from db.audit import AuditContext, set_audit_context

EXIT_ERROR, EXIT_REJECTED = 1, 3


def db_url(value: str) -> str:
    return value if "://" in value else f"sqlite:///{Path(value).resolve()}"


def _passphrase(args: argparse.Namespace, confirm: bool = False) -> bytes | None:
    if args.password_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        return line.encode("utf-8") if line else None
    if sys.stdin.isatty():
        first = getpass.getpass("Passphrase for the data center private keys: ")
        if confirm and getpass.getpass("Repeat the passphrase: ") != first:
            raise CenterError("the passphrases differ")
        return first.encode("utf-8") or None
    return None


def _now() -> datetime:
    return datetime.now(UTC)


def cmd_keygen(args: argparse.Namespace) -> int:
    passphrase = _passphrase(args, confirm=True)
    public = generate_center_keys(Path(args.out), passphrase)
    if passphrase is None:
        print("warning: the private keys are NOT protected by a passphrase", file=sys.stderr)
    print(f"data center keys written to {args.out}")
    print(f"public key file: {Path(args.out) / 'center-public.json'} (give it to every site)")
    print(f"fingerprint: {public.fingerprint}")
    return 0


def cmd_site_add(args: argparse.Namespace) -> int:
    key = load_site_public_key(Path(args.public_key))
    db = open_center_database(db_url(args.db))
    try:
        with db.session() as session:
            register_site(session, key, _now())
    finally:
        db.close()
    print(f"site {key.site_code} registered, signing key fingerprint {key.fingerprint}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    keys = load_center_private_keys(Path(args.key_dir), _passphrase(args))
    db = open_center_database(db_url(args.db))
    rejected = 0
    sites: set[str] = set()
    try:
        for name in args.packages:
            path = Path(name)
            try:
                data = path.read_bytes()
                outcome = import_package(db, data, keys, _now())
            except SyncRejected as exc:
                rejected += 1
                print(f"{path.name}: REJECTED: {exc}", file=sys.stderr)
                continue
            except OSError as exc:
                rejected += 1
                print(f"{path.name}: cannot read: {exc.strerror}", file=sys.stderr)
                continue
            sites.add(outcome.site)
            extra = f", then held packages {outcome.also_applied}" if outcome.also_applied else ""
            print(
                f"{path.name}: site {outcome.site} sequence {outcome.sequence}: {outcome.status}"
                f" ({outcome.stats.applied} changes applied, {outcome.stats.conflicts} conflicts,"
                f" {outcome.stats.signatures} signatures){extra}"
            )
        for site in sorted(sites):
            with db.session() as session:
                ack = write_site_ack(session, site, keys, Path(args.ack_out), _now())
            print(f"acknowledgement for site {site}: {ack}")
    finally:
        db.close()
    return EXIT_REJECTED if rejected else 0


def cmd_status(args: argparse.Namespace) -> int:
    db = open_center_database(db_url(args.db))
    try:
        with db.session() as session:
            rows = center_status(session)
    finally:
        db.close()
    if not rows:
        print("no sites registered")
    for r in rows:
        last = r.last_received.isoformat() if r.last_received else "never"
        print(
            f"site {r.site_code}: key {r.fingerprint}; {r.applied} packages applied, chain at "
            f"{r.sequence_reached}; held {r.held or 'none'}; {r.open_conflicts} open conflicts; "
            f"{r.item_values} item values; last received {last}"
        )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    db = open_center_database(db_url(args.db))
    try:
        with db.session() as session:
            tables = form_tables(session)
    finally:
        db.close()
    out = Path(args.out)
    paths = (
        write_csv(tables, out) if args.format == "csv" else write_dataset_json(tables, out, _now())
    )
    print(f"{len(paths)} tables written to {out}")
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    db = open_center_database(db_url(args.db))
    try:
        with db.session() as session:
            set_audit_context(session, AuditContext(user_id=None, now=_now(), offset_minutes=0))
            oid = raise_query(session, args.site, args.path, args.text, _now())
    finally:
        db.close()
    print(f"query {oid} raised; it goes to site {args.site} with the next acknowledgement")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="seqtx-center", description="SeqTx data center: import site sync packages."
    )
    parser.add_argument("--version", action="version", version=f"SeqTx {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("keygen", help="create the data center key pair")
    p.add_argument("--out", required=True, help="directory for the key files")
    p.add_argument("--password-stdin", action="store_true", help="read the passphrase from stdin")
    p.set_defaults(handler=cmd_keygen)

    site = sub.add_parser("site", help="manage registered sites")
    site_sub = site.add_subparsers(dest="site_command", metavar="ACTION", required=True)
    p = site_sub.add_parser("add", help="register a site's public signing key")
    p.add_argument("--db", required=True, help="database URL or SQLite file")
    p.add_argument("--public-key", required=True, help="file from `seqtx sync site-key`")
    p.set_defaults(handler=cmd_site_add)

    p = sub.add_parser("import", help="verify, decrypt, validate and apply sync packages")
    p.add_argument("--db", required=True, help="database URL or SQLite file")
    p.add_argument("--key-dir", required=True, help="directory made by keygen")
    p.add_argument("--password-stdin", action="store_true", help="read the passphrase from stdin")
    p.add_argument("--ack-out", default="acks", help="where acknowledgements are written")
    p.add_argument("packages", nargs="+", metavar="PACKAGE")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("status", help="sites, packages, held packages, conflicts")
    p.add_argument("--db", required=True, help="database URL or SQLite file")
    p.set_defaults(handler=cmd_status)

    p = sub.add_parser("export", help="one table per form for the statisticians")
    p.add_argument("--db", required=True, help="database URL or SQLite file")
    p.add_argument("--format", choices=("csv", "dataset-json"), default="csv")
    p.add_argument("--out", required=True, help="output directory")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("query", help="raise a query on an item; it travels in the next ack")
    p.add_argument("--db", required=True, help="database URL or SQLite file")
    p.add_argument("--site", required=True)
    p.add_argument(
        "--path", required=True, help="e.g. FD-001/SE.COND[-3]/F.LAB/IG.LAB[1]/IT.LB.ANC"
    )
    p.add_argument("--text", required=True)
    p.set_defaults(handler=cmd_query)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    try:
        code: int = args.handler(args)
    except SyncRejected as exc:
        print(f"rejected: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    except (CenterError, FileExistsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    return code


if __name__ == "__main__":
    raise SystemExit(main())
