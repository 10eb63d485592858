"""Where the store lives by default, without Qt (for the admin commands).

Mirrors QStandardPaths.AppDataLocation for organisation "PeerSupport", application "Intake";
a GUI test checks that both give the same folder on the platform it runs on.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ORGANIZATION = "PeerSupport"
APPLICATION = "Intake"


def data_folder() -> Path:
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / ORGANIZATION / APPLICATION


def default_store() -> Path:
    configured = os.environ.get("INTAKE_STORE")
    return Path(configured) if configured else data_folder() / "store.db"
