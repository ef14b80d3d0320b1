"""Creating and opening the site database: key check, integrity check, backup, then migrations.

Opening order (issue 2, "Bad input and faults"): the key is checked and the file verified on a
read-only connection first, so a wrong key or a damaged file changes nothing and creates nothing
beside it; only then is a keyed engine made. When migrations are pending, a verified encrypted copy
is taken before `alembic upgrade head` runs.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from db.backup import backup_database, backups_dir
from db.engine import Database, create_sqlcipher_engine
from db.integrity import CorruptDatabaseError, check_file
from db.migrate import head_revision, known_revisions, upgrade_head
from db.models import Setting

__all__ = [
    "CorruptDatabaseError",
    "UnknownSchemaError",
    "create_site_database",
    "database_id",
    "open_site_database",
]

DB_ID_SETTING = "db_id"


class UnknownSchemaError(Exception):
    """The file is a database this version of SeqTx cannot open (newer, or not made by SeqTx)."""


def create_site_database(path: Path, key: bytes) -> Database:
    """A new encrypted database at `path` with the current schema and a random database id."""
    if path.exists():
        raise FileExistsError(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_sqlcipher_engine(path, key)
    try:
        upgrade_head(engine)
        db = Database(engine, path)
        with db.session() as session:
            session.add(Setting(key=DB_ID_SETTING, value=json.dumps(secrets.token_hex(16))))
    except BaseException:
        engine.dispose()
        raise
    return db


def open_site_database(path: Path, key: bytes, *, verify: bool = True) -> Database:
    """Open an existing site database; WrongKeyError, CorruptDatabaseError or UnknownSchemaError.

    `verify` runs the whole-file page and structure checks (the default). Without it only the
    key and the schema are read, and the caller runs verify_site_database before anyone sees
    data (the app: while its login window waits); a file that needs a migration is always checked
    whole first, as nothing is migrated unchecked.
    """
    found = check_file(path, key, full=verify)
    head = head_revision()
    if not verify and found.revision != head:
        check_file(path, key, full=True)
    if found.revision is None and found.table_count > 0:
        raise UnknownSchemaError(f"{path.name} was not made by SeqTx (no schema version)")
    if found.revision is not None and found.revision not in known_revisions():
        raise UnknownSchemaError(
            f"{path.name} was made by a newer version of SeqTx; install that version to open it"
        )
    engine = create_sqlcipher_engine(path, key)
    db = Database(engine, path)
    try:
        if found.revision != head:
            if found.revision is not None:
                stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
                name = f"{path.stem}-before-{head}-{stamp}.db"
                backup_database(db, backups_dir(path) / name)
            upgrade_head(engine)
    except BaseException:
        db.close()
        raise
    return db


def verify_site_database(db: Database) -> None:
    """The whole-file checks of an open site database (SQLCipher page HMACs, SQLite structure):
    CorruptDatabaseError when a page is damaged. Reads only; the open engine keeps working."""
    key, path = db.key, db.path
    if key is None or path is None:
        raise ValueError("only an encrypted site database file is checked this way")
    check_file(path, key, full=True)


def database_id(db: Database) -> str:
    """The random id made at creation; names this database's keyring entry and key file."""
    with db.engine.connect() as conn:
        value = conn.execute(select(Setting.value).where(Setting.key == DB_ID_SETTING)).scalar()
    if value is None:
        raise UnknownSchemaError("the database has no id")
    return str(json.loads(value))
