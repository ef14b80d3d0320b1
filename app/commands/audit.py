"""`seqtx audit verify`: walk the audit trail's hash chain; "ok, N rows" or the first broken link
(exit 1)."""

from __future__ import annotations

import argparse
import sys

from app.commands.site import (
    EXIT_FAILED,
    EXIT_OK,
    Secrets,
    Subparsers,
    add_db_argument,
    add_login_arguments,
    authenticate,
    guarded,
    open_workspace,
)
from app.services.audit_trail import verify_audit


def _verify(args: argparse.Namespace) -> int:
    secrets = Secrets()
    ws = open_workspace(args, secrets)
    try:
        if args.user:
            authenticate(ws, args, secrets)
        status = verify_audit(ws)
    finally:
        ws.close()
    if status.ok:
        print(f"ok, {status.rows} rows")
        return EXIT_OK
    print(f"broken at row {status.first_broken_id}: {status.detail}", file=sys.stdout)
    return EXIT_FAILED


def register(subparsers: Subparsers) -> None:
    audit = subparsers.add_parser("audit", help="audit trail tools (verify the hash chain)")
    commands = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = commands.add_parser(
        "verify", help="walk the hash chain; print 'ok, N rows' or the first broken link"
    )
    add_db_argument(verify)
    add_login_arguments(verify, user_required=False)
    verify.set_defaults(handler=guarded(_verify))
