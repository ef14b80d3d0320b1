"""The `seqtx` command line: argument parsing and dispatch to services (no Qt here).

`ui.launcher.main` passes a `gui` callable so that a bare `seqtx` opens the desktop app while
app/ never imports the UI.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from app import __version__
from app.commands import register_all

GuiRunner = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="seqtx",
        description="SeqTx, the ward application of trial NCT03835312. "
        "Without a command it opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"SeqTx {__version__}")
    parser.add_argument("--db", help="database file (default: the per-user data directory)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    register_all(subparsers)
    return parser


def _gui_only_args(argv: list[str]) -> argparse.Namespace | None:
    """The arguments of a bare `seqtx [--db PATH]`, or None when a command or option is given.

    Opening the app must not import every command module (SQLAlchemy, Alembic, ReportLab, sync):
    that alone took most of the 2 s cold-start budget.
    """
    bare = argparse.ArgumentParser(prog="seqtx", add_help=False, exit_on_error=False)
    bare.add_argument("--db")
    try:
        args, rest = bare.parse_known_args(argv)
    except argparse.ArgumentError:
        return None
    if rest:
        return None
    args.command = None
    return args


def main(argv: Sequence[str] | None = None, gui: GuiRunner | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if gui is not None and (gui_args := _gui_only_args(arguments)) is not None:
        return gui(gui_args)
    parser = build_parser()
    args = parser.parse_args(arguments)
    if args.command is None:
        if gui is None:
            parser.print_help()
            return 0
        return gui(args)
    handler: Callable[[argparse.Namespace], int] = args.handler
    return handler(args)
