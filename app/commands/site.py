"""`seqtx init` (new site database) and `seqtx check` (headless smoke: open, versions, counts),
plus the helpers every data command shares: --db, unlocking, reading secrets, clean errors.

Secrets come from standard input with --password-stdin / --recovery-code-stdin (when both, the
recovery code is the first line and the password the second), else from a getpass prompt.
Expected failures print one line "seqtx: error: ..." and exit 1; no tracebacks.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO, TypeAlias

from app.domain.clock import SystemClock
from app.services.auth import UserSession, login
from app.services.errors import DatabaseNotFound, KeyNotAvailable, ServiceError
from app.services.site_setup import (
    SetupResult,
    setup_site,
    site_info,
    unlock_from_keyring,
    unlock_with_recovery_code,
)
from app.services.workspace import Workspace, default_database_path

# A string alias: argparse._SubParsersAction is not subscriptable at run time on Python 3.11.
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
Handler = Callable[[argparse.Namespace], int]

EXIT_OK = 0
EXIT_FAILED = 1


class CommandError(Exception):
    """An expected failure of a command: its message is printed as one line."""


class Secrets:
    """Reads secrets in the order they are asked for: stdin lines or interactive prompts."""

    def __init__(self, stdin: TextIO | None = None) -> None:
        self._stdin = stdin or sys.stdin

    def read(self, from_stdin: bool, prompt: str, what: str) -> str:
        if from_stdin:
            line = self._stdin.readline()
            if not line:
                raise CommandError(f"expected the {what} on standard input")
            return line.rstrip("\r\n")
        if not sys.stdin.isatty():
            raise CommandError(f"no terminal to ask for the {what}; use --{_flag(what)}-stdin")
        return getpass.getpass(prompt)

    def new_password(self, from_stdin: bool, what: str = "password") -> str:
        """A new password: from stdin once, or prompted twice."""
        first = self.read(from_stdin, f"New {what}: ", "password")
        if not from_stdin and getpass.getpass(f"Repeat the {what}: ") != first:
            raise CommandError("the passwords do not match")
        return first


def _flag(what: str) -> str:
    return "recovery-code" if "recovery" in what else "password"


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS keeps `seqtx --db X cmd` working: the subcommand does not overwrite it with None.
    parser.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        metavar="PATH",
        help="database file (default: the per-user data directory)",
    )


def add_login_arguments(parser: argparse.ArgumentParser, user_required: bool = True) -> None:
    parser.add_argument(
        "--user", required=user_required, metavar="NAME", help="username of the acting user"
    )
    parser.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    parser.add_argument(
        "--recovery-code-stdin",
        action="store_true",
        help="open with the recovery code read from standard input (first line) when this "
        "workstation's keyring has no key",
    )


def db_path(args: argparse.Namespace) -> Path:
    value = getattr(args, "db", None)
    return Path(value).expanduser() if value else default_database_path()


def open_workspace(args: argparse.Namespace, secrets: Secrets) -> Workspace:
    """Unlock the database of `args.db`: recovery code if asked for, else keyring, else prompt."""
    path = db_path(args)
    if not path.is_file():
        raise DatabaseNotFound(path=str(path))
    clock = SystemClock()
    if getattr(args, "recovery_code_stdin", False):
        code = secrets.read(True, "", "recovery code")
        return unlock_with_recovery_code(path, code, clock)
    try:
        return unlock_from_keyring(path, clock)
    except KeyNotAvailable:
        if not sys.stdin.isatty():
            raise CommandError(
                "this workstation's keyring has no key for this database; "
                "pass --recovery-code-stdin and the recovery code on standard input"
            ) from None
        code = getpass.getpass("Recovery code: ")
        return unlock_with_recovery_code(path, code, clock)


def authenticate(ws: Workspace, args: argparse.Namespace, secrets: Secrets) -> UserSession:
    password = secrets.read(
        bool(getattr(args, "password_stdin", False)), f"Password for {args.user}: ", "password"
    )
    return login(ws, args.user, password)


def guarded(handler: Handler) -> Handler:
    """Run a handler, turning expected errors into one line on stderr and exit code 1."""

    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except (ServiceError, CommandError) as exc:
            print(f"seqtx: error: {exc}", file=sys.stderr)
            return EXIT_FAILED
        except KeyboardInterrupt:
            print("seqtx: interrupted", file=sys.stderr)
            return 130

    return run


def print_recovery_code(result: SetupResult, out: Any = None) -> None:
    """The recovery code alone on its line, with what to do with it."""
    out = out or sys.stdout
    # The code comes first: scripts take the first line that looks like a code, and a path may
    # contain hyphens too.
    print("Recovery code (shown once: write it on paper and keep it in a safe place):", file=out)
    print(result.recovery_code, file=out)
    print(f"Database created: {result.workspace.db_path}", file=out)
    if result.keyring_stored:
        print("The database key is stored in this workstation's keyring.", file=out)
    else:
        print(
            "No suitable keyring here: the database key was NOT stored; "
            "the recovery code is needed to open the database.",
            file=out,
        )
        if result.keyring_problem:
            print(f"  ({result.keyring_problem})", file=out)


def _init(args: argparse.Namespace) -> int:
    secrets = Secrets()
    password = secrets.new_password(args.password_stdin, "administrator password")
    result = setup_site(
        db_path(args),
        site_code=args.site_code,
        site_name=args.site_name,
        admin_username=args.admin,
        admin_full_name=args.admin_name or args.admin,
        admin_password=password,
        clock=SystemClock(),
    )
    try:
        print_recovery_code(result)
    finally:
        result.workspace.close()
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    secrets = Secrets()
    ws = open_workspace(args, secrets)
    try:
        if args.user:
            authenticate(ws, args, secrets)
        info = site_info(ws)
        print(f"SQLCipher {info.sqlcipher_version}")
        print(f"database: {info.db_path}")
        print(f"site: {info.site_code}")
        print(f"subjects: {info.subject_count}")
        print(f"users: {info.user_count}")
    finally:
        ws.close()
    return EXIT_OK


def register(subparsers: Subparsers) -> None:
    init = subparsers.add_parser(
        "init",
        help="create a new encrypted site database and its first administrator",
        description="Create a new encrypted site database; prints the recovery code once.",
    )
    add_db_argument(init)
    init.add_argument("--site-code", required=True, metavar="CODE", help="e.g. FD")
    init.add_argument("--site-name", required=True, metavar="NAME")
    init.add_argument("--admin", required=True, metavar="USERNAME", help="first administrator")
    init.add_argument("--admin-name", metavar="NAME", help="administrator's full name")
    init.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    init.set_defaults(handler=guarded(_init))

    check = subparsers.add_parser(
        "check",
        help="open a database headless and print its SQLCipher version and counts",
    )
    add_db_argument(check)
    add_login_arguments(check, user_required=False)
    check.set_defaults(handler=guarded(_check))
