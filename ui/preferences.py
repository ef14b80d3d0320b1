"""Workstation preferences of the UI (language, window geometry): an ini file in the per-user data dir.

Site-wide settings (idle timeout, password length) live in the database through app.services.settings;
only what belongs to this workstation and is needed before login is kept here.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from PySide6.QtCore import QSettings


def data_dir() -> Path:
    """`SEQTX_DATA_DIR` if set, else platformdirs' user data dir (the team convention)."""
    override = os.environ.get("SEQTX_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir("SeqTx"))


def load() -> QSettings:
    return QSettings(str(data_dir() / "workstation.ini"), QSettings.Format.IniFormat)
