"""`seqtx study check|to-confirm`: validate a study definition and list its values to confirm.

`check` loads and validates resources/study (or --dir) and prints what it holds; an error names the
file, form and item. `to-confirm` lists the rule values marked [U] in DOMAIN.md ("confirm: true")
for the site's configuration review. Neither needs the database.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.study.errors import StudyDefinitionError
from app.study.loader import load_study
from app.study.model import StudyDefinition

EXIT_OK = 0
EXIT_INVALID = 2


def _load(args: argparse.Namespace) -> StudyDefinition | None:
    try:
        return load_study(None if args.dir is None else Path(args.dir))
    except StudyDefinitionError as exc:
        print(f"study definition is invalid: {exc}", file=sys.stderr)
        return None


def _check(args: argparse.Namespace) -> int:
    study = _load(args)
    if study is None:
        return EXIT_INVALID
    groups = sum(len(f.groups) for f in study.forms.values())
    print(
        f"{study.study_oid} {study.protocol_name} {study.mdv_oid}: {len(study.events)} events, "
        f"{len(study.forms)} forms, {groups} item groups, {len(study.items())} items, "
        f"{len(study.codelists)} code lists, {len(study.rule_inputs)} rule inputs, "
        f"{len(study.to_confirm())} rule values to confirm"
    )
    return EXIT_OK


def _to_confirm(args: argparse.Namespace) -> int:
    study = _load(args)
    if study is None:
        return EXIT_INVALID
    for p in sorted(study.to_confirm(), key=lambda p: (p.module, p.name)):
        value = json.dumps(p.value, ensure_ascii=False)
        print(f"{p.module}.{p.name}\t{value}\t{p.unit or ''}\t{p.source}\trules/{p.file}")
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    study = subparsers.add_parser(
        "study", help="check the study definition, list values to confirm"
    )
    commands = study.add_subparsers(dest="study_command", metavar="ACTION", required=True)
    check = commands.add_parser("check", help="load and validate the study definition")
    check.add_argument("--dir", metavar="DIR", help="a study definition folder (default: shipped)")
    check.set_defaults(handler=_check)
    confirm = commands.add_parser("to-confirm", help="rule values marked to confirm, one per line")
    confirm.add_argument(
        "--dir", metavar="DIR", help="a study definition folder (default: shipped)"
    )
    confirm.set_defaults(handler=_to_confirm)
