"""`seqtx demo`: a new database of a demo site (administrator `admin`, one user per role, synthetic
subjects); prints the recovery code."""

from __future__ import annotations

import argparse

from app.commands.site import (
    EXIT_OK,
    CommandError,
    Secrets,
    Subparsers,
    add_db_argument,
    db_path,
    guarded,
    print_recovery_code,
)
from app.domain.clock import SystemClock
from app.services.demo import DEMO_USERNAMES, create_demo_site

MAX_SUBJECTS = 5000


def _demo(args: argparse.Namespace) -> int:
    if not 0 <= args.subjects <= MAX_SUBJECTS:
        raise CommandError(f"--subjects must be from 0 to {MAX_SUBJECTS}")
    password = Secrets().new_password(args.password_stdin, "password of the demo users")
    from app.services.demo_ward import ward_demo_step

    # Subjects at every treatment stage (the ward scenarios create their own subjects).
    result = create_demo_site(
        db_path(args), args.subjects, password, SystemClock(), steps=[ward_demo_step]
    )
    try:
        print_recovery_code(result)
        print("Demo users (all with the password given): " + ", ".join(DEMO_USERNAMES.values()))
    finally:
        result.workspace.close()
    return EXIT_OK


def register(subparsers: Subparsers) -> None:
    demo = subparsers.add_parser(
        "demo",
        help="create a database of a demo site with synthetic subjects",
        description="Create a new database of a demo site: administrator `admin`, one user per "
        "role (same password), synthetic subjects. Prints the recovery code.",
    )
    add_db_argument(demo)
    demo.add_argument("--subjects", type=int, default=20, metavar="N", help="number of subjects")
    demo.add_argument(
        "--password-stdin", action="store_true", help="read the users' password from standard input"
    )
    demo.set_defaults(handler=guarded(_demo))
