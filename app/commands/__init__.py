"""Subcommands of `seqtx`: each module here exposes `register(subparsers)`.

A command's handler is stored with `set_defaults(handler=fn)`, where fn(args) -> int (exit code).
Modules are listed in COMMAND_MODULES so the order of `seqtx --help` is stable.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Protocol

COMMAND_MODULES: tuple[str, ...] = (
    "site",
    "demo",
    "users",
    "audit",
    "backup",
    "sync",
    "crf",
    "study",
)


class _CommandModule(Protocol):
    def register(self, subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None: ...


def register_all(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    for name in COMMAND_MODULES:
        module: _CommandModule = importlib.import_module(f"app.commands.{name}")
        module.register(subparsers)
