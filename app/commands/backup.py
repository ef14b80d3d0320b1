"""`seqtx backup` (a verified encrypted copy and its key file) and `seqtx restore`."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from app.commands.site import (
    EXIT_OK,
    Secrets,
    Subparsers,
    add_db_argument,
    add_login_arguments,
    authenticate,
    db_path,
    guarded,
    open_workspace,
)
from app.domain.clock import SystemClock
from app.services.backup import backup_site, restore_site
from app.services.errors import KeyNotAvailable


def _backup(args: argparse.Namespace) -> int:
    secrets = Secrets()
    ws = open_workspace(args, secrets)
    try:
        user = authenticate(ws, args, secrets)
        result = backup_site(ws, user, Path(args.out))
    finally:
        ws.close()
    print(f"backup written and verified: {result.path} ({result.size_bytes} bytes)")
    print(f"key file beside it: {result.key_file}")
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    secrets = Secrets()
    code = secrets.read(True, "", "recovery code") if args.recovery_code_stdin else None
    try:
        result = restore_site(Path(args.backup), db_path(args), SystemClock(), code)
    except KeyNotAvailable:
        if not sys.stdin.isatty():
            raise
        code = getpass.getpass("Recovery code: ")
        result = restore_site(Path(args.backup), db_path(args), SystemClock(), code)
    try:
        if args.user:
            authenticate(result.workspace, args, secrets)
    finally:
        result.workspace.close()
    print(f"restored {db_path(args)} from {args.backup}")
    if result.replaced_file is not None:
        print(f"the previous database was kept as {result.replaced_file}")
    return EXIT_OK


def register(subparsers: Subparsers) -> None:
    backup = subparsers.add_parser(
        "backup", help="write a verified encrypted copy of the database (and its key file)"
    )
    add_db_argument(backup)
    backup.add_argument("--out", required=True, metavar="FILE", help="backup file to write")
    add_login_arguments(backup)
    backup.set_defaults(handler=guarded(_backup))

    restore = subparsers.add_parser(
        "restore",
        help="replace the database by a verified backup (the old file is kept aside)",
    )
    restore.add_argument("--backup", required=True, metavar="FILE", help="backup file to restore")
    add_db_argument(restore)
    add_login_arguments(restore, user_required=False)
    restore.set_defaults(handler=guarded(_restore))
