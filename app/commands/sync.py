"""`seqtx sync ...`: export for the data center, import its key and acknowledgements, status.

seqtx sync export     --db PATH --out DIR        --user NAME --password-stdin
seqtx sync center-key --db PATH FILE             --user NAME --password-stdin
seqtx sync site-key   --db PATH --out FILE       --user NAME --password-stdin
seqtx sync ack        --db PATH FILE             --user NAME --password-stdin
seqtx sync status     --db PATH                  --user NAME --password-stdin
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.commands.site import (
    EXIT_FAILED,
    EXIT_OK,
    CommandError,
    Secrets,
    Subparsers,
    add_db_argument,
    add_login_arguments,
    authenticate,
    guarded,
    open_workspace,
)
from app.services.auth import UserSession
from app.services.sync_ack import import_acknowledgement
from app.services.sync_export import export_for_data_center, import_center_key, site_key_document
from app.services.sync_status import get_sync_status
from app.services.workspace import Workspace


def _session(args: argparse.Namespace) -> tuple[Workspace, UserSession]:
    secrets = Secrets()
    ws = open_workspace(args, secrets)
    try:
        return ws, authenticate(ws, args, secrets)
    except BaseException:
        ws.close()
        raise


def _export(args: argparse.Namespace) -> int:
    ws, user = _session(args)
    try:
        result = export_for_data_center(ws, user, Path(args.out))
    finally:
        ws.close()
    counts = result.counts
    print(f"package {result.sequence} written: {result.path}")
    print(
        f"{counts['item_changes']} item changes, {counts['signatures']} signatures, "
        f"{counts['subjects']} subjects; metadata {'included' if result.includes_metadata else 'unchanged'}"
    )
    print(f"sha256 {result.sha256}")
    return EXIT_OK


def _center_key(args: argparse.Namespace) -> int:
    ws, user = _session(args)
    try:
        fingerprint = import_center_key(ws, user, Path(args.file))
    finally:
        ws.close()
    print(f"data center key imported; fingerprint {fingerprint}")
    print("compare it with the fingerprint the data center gave you before exporting")
    return EXIT_OK


def _site_key(args: argparse.Namespace) -> int:
    ws, user = _session(args)
    try:
        document, fingerprint = site_key_document(ws, user)
    finally:
        ws.close()
    out = Path(args.out)
    if out.exists():
        raise CommandError(f"{out} exists already")
    out.write_bytes(document)
    print(f"site public key written to {out}; fingerprint {fingerprint}")
    return EXIT_OK


def _ack(args: argparse.Namespace) -> int:
    ws, user = _session(args)
    try:
        result = import_acknowledgement(ws, user, Path(args.file))
    except OSError as exc:
        raise CommandError(f"cannot read {args.file}: {exc.strerror}") from exc
    finally:
        ws.close()
    received = ", ".join(map(str, result.acknowledged)) or "none new"
    print(
        f"acknowledgement imported: packages received {received}; chain at {result.sequence_reached}"
    )
    print(f"{result.queries_added} queries from the data center added", end="")
    print(
        f" ({result.queries_unmatched} not matching a form here)"
        if result.queries_unmatched
        else ""
    )
    if result.open_conflicts:
        print(f"the data center lists {result.open_conflicts} open conflicts for this site")
    return EXIT_OK


def _status(args: argparse.Namespace) -> int:
    ws, user = _session(args)
    try:
        st = get_sync_status(ws, user)
    finally:
        ws.close()
    last_export = st.last_export_at.isoformat() if st.last_export_at else "never"
    last_ack = st.last_ack_at.isoformat() if st.last_ack_at else "never"
    print(f"last export: {last_export} (package {st.last_export_sequence})")
    print(f"last acknowledgement: {last_ack} (chain at {st.sequence_reached})")
    print(f"not yet acknowledged: {', '.join(map(str, st.unacknowledged)) or 'none'}")
    if st.warning:
        print(
            f"WARNING: no acknowledgement from the data center for {st.days_without_ack} days "
            f"(warning after {st.warn_after_days})"
        )
        return EXIT_FAILED
    return EXIT_OK


def register(subparsers: Subparsers) -> None:
    sync = subparsers.add_parser("sync", help="sync packages for the data center")
    commands = sync.add_subparsers(dest="sync_command", metavar="ACTION", required=True)

    p = commands.add_parser("export", help="write the next sync package")
    p.add_argument("--out", required=True, metavar="DIR", help="folder or USB stick")
    p.set_defaults(handler=guarded(_export))
    both = [p]

    p = commands.add_parser("center-key", help="import the data center's public key file")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(handler=guarded(_center_key))
    both.append(p)

    p = commands.add_parser("site-key", help="write this site's public signing key file")
    p.add_argument("--out", required=True, metavar="FILE")
    p.set_defaults(handler=guarded(_site_key))
    both.append(p)

    p = commands.add_parser("ack", help="import an acknowledgement from the data center")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(handler=guarded(_ack))
    both.append(p)

    p = commands.add_parser("status", help="last export, last acknowledgement, warnings")
    p.set_defaults(handler=guarded(_status))
    both.append(p)

    for parser in both:
        add_db_argument(parser)
        add_login_arguments(parser)
