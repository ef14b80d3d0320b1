"""Entry point of `seqtx`: command-line tools from app.cli, the desktop app when no command."""

from __future__ import annotations

import argparse
import sys

from app import cli


def _run_gui(args: argparse.Namespace) -> int:
    from ui.application import run  # Qt is imported only when the window is wanted

    return int(run(args))


def main() -> int:
    return cli.main(sys.argv[1:], gui=_run_gui)


if __name__ == "__main__":
    raise SystemExit(main())
