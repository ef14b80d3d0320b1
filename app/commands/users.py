"""`seqtx users list|add|unlock`: user administration from the command line (administrators).

Secrets on standard input come in the order asked: [recovery code], the acting administrator's
password, then (for `add`) the new user's password.
"""

from __future__ import annotations

import argparse

from app.commands.site import (
    EXIT_OK,
    Secrets,
    Subparsers,
    add_db_argument,
    add_login_arguments,
    authenticate,
    guarded,
    open_workspace,
)
from app.services.permissions import Role
from app.services.users import create_user, list_users, unlock_user, user_by_username


def _run(args: argparse.Namespace) -> int:
    secrets = Secrets()
    ws = open_workspace(args, secrets)
    try:
        actor = authenticate(ws, args, secrets)
        if args.users_command == "list":
            for row in list_users(ws, actor):
                state = "active" if row.active else "inactive"
                if row.locked:
                    state += ", locked"
                print(f"{row.username}\t{row.role.value}\t{state}\t{row.full_name}")
        elif args.users_command == "add":
            password = secrets.new_password(args.password_stdin, f"password for {args.username}")
            row = create_user(ws, actor, args.username, args.full_name, Role(args.role), password)
            print(f"created {row.username} ({row.role.value})")
        else:
            target = user_by_username(ws, actor, args.username)
            unlock_user(ws, actor, target.user_id)
            print(f"unlocked {target.username}")
    finally:
        ws.close()
    return EXIT_OK


def register(subparsers: Subparsers) -> None:
    users = subparsers.add_parser("users", help="list, add or unlock users (administrators)")
    commands = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    listing = commands.add_parser("list", help="list users with role and state")
    add = commands.add_parser("add", help="add a user (the new password is asked or read next)")
    add.add_argument("username")
    add.add_argument("--full-name", required=True)
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    unlock = commands.add_parser("unlock", help="unlock an account locked by failed logins")
    unlock.add_argument("username")
    for parser in (listing, add, unlock):
        add_db_argument(parser)
        add_login_arguments(parser)
        parser.set_defaults(handler=guarded(_run))
