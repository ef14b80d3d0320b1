"""`seqtx crf blank|filled|casebook|recovery-sheet`: paper CRFs as PDF files from the command line.

`blank` needs only the study definition; `filled` and `casebook` unlock the database and log in
(secrets on standard input in the order asked: [recovery code], password).
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from app.commands.site import (
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
from app.crf.documents import (
    Site,
    render_blank_event,
    render_blank_form,
    render_casebook,
    render_filled_visit,
)
from app.domain.clock import SystemClock
from app.services.crf_data import load_subject, load_visits
from app.study.errors import StudyDefinitionError
from app.study.loader import default_study


def _now() -> datetime:
    return SystemClock().now().astimezone()


def _out(args: argparse.Namespace) -> Path:
    out = Path(args.out).expanduser()
    if not out.parent.is_dir():
        raise CommandError(f"no such directory: {out.parent}")
    return out


def _blank(args: argparse.Namespace) -> int:
    try:
        study = default_study()
    except StudyDefinitionError as exc:
        raise CommandError(f"the study definition does not load: {exc}") from None
    out = _out(args)
    site = Site(args.site_code or "", args.site_name or "")
    if args.form:
        if args.form not in study.forms:
            raise CommandError(f"no form {args.form} in the study definition")
        pages = render_blank_form(study, args.form, str(out), created=_now(), site=site)
    else:
        if not any(e.oid == args.event for e in study.events):
            raise CommandError(f"no event {args.event} in the study definition")
        pages = render_blank_event(study, args.event, str(out), created=_now(), site=site)
    print(f"{out}: {pages} page(s)")
    return EXIT_OK


def _filled(args: argparse.Namespace) -> int:
    secrets = Secrets()
    ws = open_workspace(args, secrets)
    try:
        actor = authenticate(ws, args, secrets)
        out = _out(args)
        study = ws.require_study()
        site, visits = load_visits(ws, actor, args.subject, args.event, args.repeat)
        if len(visits) > 1:
            keys = ", ".join(v.repeat_key for v in visits)
            raise CommandError(f"{args.event} occurs {len(visits)} times ({keys}); pass --repeat")
        pages = render_filled_visit(
            study, args.subject, visits[0], str(out), created=_now(), site=site
        )
    finally:
        ws.close()
    print(f"{out}: {pages} page(s)")
    return EXIT_OK


def _casebook(args: argparse.Namespace) -> int:
    secrets = Secrets()
    ws = open_workspace(args, secrets)
    try:
        actor = authenticate(ws, args, secrets)
        out = _out(args)
        site, record = load_subject(ws, actor, args.subject)
        pages = render_casebook(ws.require_study(), record, str(out), created=_now(), site=site)
    finally:
        ws.close()
    print(f"{out}: {pages} page(s)")
    return EXIT_OK


def register(subparsers: Subparsers) -> None:
    crf = subparsers.add_parser("crf", help="print case report forms to PDF")
    commands = crf.add_subparsers(dest="crf_command", metavar="KIND", required=True)

    blank = commands.add_parser("blank", help="a blank form, or all forms of a visit")
    which = blank.add_mutually_exclusive_group(required=True)
    which.add_argument("--form", metavar="OID", help="form OID, e.g. F.INF")
    which.add_argument("--event", metavar="OID", help="event (visit) OID, e.g. SE.FU03")
    blank.add_argument("--site-code", metavar="CODE", help="site code printed on the form")
    blank.add_argument("--site-name", metavar="NAME", help="site name printed on the form")
    blank.add_argument("--out", required=True, metavar="FILE.pdf")
    blank.set_defaults(handler=guarded(_blank))

    filled = commands.add_parser("filled", help="one visit of a subject with its stored data")
    filled.add_argument("--subject", required=True, metavar="ID", help="subject ID, e.g. FD-001")
    filled.add_argument("--event", required=True, metavar="OID", help="event (visit) OID")
    filled.add_argument(
        "--repeat", metavar="KEY", help="study day, month or sequence of a repeating event"
    )
    filled.add_argument("--out", required=True, metavar="FILE.pdf")
    filled.set_defaults(handler=guarded(_filled))

    casebook = commands.add_parser("casebook", help="all forms of a subject in visit order")
    casebook.add_argument("--subject", required=True, metavar="ID", help="subject ID")
    casebook.add_argument("--out", required=True, metavar="FILE.pdf")
    casebook.set_defaults(handler=guarded(_casebook))

    for parser in (filled, casebook):
        add_db_argument(parser)
        add_login_arguments(parser)
