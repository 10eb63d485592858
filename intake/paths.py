"""Where things live, without Qt: the per-user folders and the data shipped with the package.

The per-user folders come from platformdirs, the one source for the window, the admin commands
and the kiosk. They keep the layout Qt's QStandardPaths used (organisation "PeerSupport", then
application "Intake") so a store created by an earlier version is found where it was:

- Linux: ~/.local/share/PeerSupport/Intake and ~/.config/PeerSupport/Intake (or $XDG_*_HOME)
- macOS: ~/Library/Application Support/PeerSupport/Intake (both)
- Windows: %APPDATA%\\PeerSupport\\Intake (both; the roaming profile, private to the user)
"""

from __future__ import annotations

import os
from pathlib import Path

# platformdirs and importlib.resources are imported where they are used: the window's start
# needs neither before its first paint when the store and settings are named (about 15-20 ms of
# CPU each on this machine), and the shipped data files are read only after sign-in.

ORGANIZATION = "PeerSupport"
APPLICATION = "Intake"
# One name with the organisation folder in it: platformdirs adds the "author" level on Windows
# only, and the store must be in the same place on every platform.
_NAME = os.path.join(ORGANIZATION, APPLICATION)


def data_folder() -> Path:
    import platformdirs  # noqa: PLC0415 - see above

    return platformdirs.user_data_path(_NAME, appauthor=False, roaming=True)


def config_folder() -> Path:
    import platformdirs  # noqa: PLC0415 - see above

    return platformdirs.user_config_path(_NAME, appauthor=False, roaming=True)


def default_store() -> Path:
    configured = os.environ.get("INTAKE_STORE")
    return Path(configured) if configured else data_folder() / "store.db"


def default_settings() -> Path:
    configured = os.environ.get("INTAKE_SETTINGS")
    return Path(configured) if configured else config_folder() / "settings.json"


def shipped(name: str) -> Path:
    """A data file shipped in the package (resources/ in the source tree, intake.resources once
    installed), as a real file: wheels are installed unzipped and bundles unpack their data."""
    from importlib import resources  # noqa: PLC0415 - see above

    return Path(str(resources.files("intake.resources").joinpath(name)))
