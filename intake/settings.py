"""Per-user interface settings: one typed schema, defaults defined once, a schema version.

Only non-confidential preferences live here (the settings file is plaintext): never a passphrase,
a name or anything a caller said.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from intake.i18n.catalog import LANGUAGES, Language
from intake.provinces import PROVINCES

log = logging.getLogger(__name__)
SCHEMA_VERSION = 1
STAFF_ALERTS = ("sound-and-flag", "flag")


@dataclass(frozen=True)
class Settings:
    ui_language: Language | None = None  # None until first run picks one
    # Kiosk mode (issue 6): set by whoever installs the kiosk, never by a visitor.
    kiosk: bool = False
    kiosk_language: Language | None = None  # the Welcome screen's language; None: ui_language
    kiosk_province: str | None = None  # where the kiosk stands: the crisis screen's default
    kiosk_idle_seconds: int = 120  # no touch for this long: "Are you still there?"
    kiosk_countdown_seconds: int = 30  # then everything entered is wiped
    # The crisis screen waits much longer before "Are you still there?" (issue 10), and how the
    # staff are alerted when it comes up: a sound and a flag, or the flag alone.
    kiosk_crisis_idle_seconds: int = 1800
    kiosk_staff_alert: str = "sound-and-flag"
    # Phone line (issue 5): lock after this long without a key or click (at most 12 hours).
    idle_lock_minutes: int = 15
    on_call_contact: str | None = None  # shown on the crisis route, e.g. "Dr Lee, 555-0100"
    # The line's shared PostgreSQL store (issue 18), chosen at set-up; None: the file on this
    # computer. An address only: a password is never kept here (it goes in ~/.pgpass).
    server: str | None = None
    schema_version: int = SCHEMA_VERSION

    def with_language(self, language: Language) -> Settings:
        return replace(self, ui_language=language)


# A kiosk must forget a person who walked away, but not someone still reading a card.
_SECONDS = {
    "kiosk_idle_seconds": (15, 3600),
    "kiosk_countdown_seconds": (5, 300),
    "kiosk_crisis_idle_seconds": (300, 14400),
    "idle_lock_minutes": (1, 720),
}


def _validated(raw: dict[str, Any]) -> Settings:
    known = {f.name for f in fields(Settings)}
    values = {k: v for k, v in raw.items() if k in known}
    for name in ("ui_language", "kiosk_language"):
        if values.get(name) not in (*LANGUAGES, None):
            values.pop(name)
    if values.get("kiosk_province") not in (*PROVINCES, None):
        values.pop("kiosk_province")
    if values.get("kiosk_staff_alert", STAFF_ALERTS[0]) not in STAFF_ALERTS:
        log.warning("setting kiosk_staff_alert unknown, using the default")
        values.pop("kiosk_staff_alert")
    if not isinstance(values.get("kiosk", False), bool):
        values.pop("kiosk")
    contact = values.get("on_call_contact")
    if contact is not None and (not isinstance(contact, str) or not contact.strip()):
        values.pop("on_call_contact")
    server = values.get("server")
    if server is not None and (not isinstance(server, str) or not server.strip()):
        values.pop("server")
    for name, (low, high) in _SECONDS.items():
        value = values.get(name)
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high
        ):
            log.warning("setting %s out of range, using the default", name)
            values.pop(name)
    if not isinstance(values.get("schema_version", SCHEMA_VERSION), int):
        values.pop("schema_version")
    return Settings(**values)


class SettingsFile:
    """Reads and atomically rewrites a small JSON settings file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> Settings:
        # A missing or damaged settings file must never stop a volunteer from working:
        # fall back to defaults, and say so in the log (no content is logged).
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return Settings()
        except (OSError, ValueError) as exc:
            log.warning("settings file unreadable, using defaults: %s", type(exc).__name__)
            return Settings()
        return _validated(raw) if isinstance(raw, dict) else Settings()

    def save(self, settings: Settings) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # noqa: PLC0415 - only saving needs it; keeps it off start-up

        data = json.dumps(asdict(settings), indent=2, sort_keys=True) + "\n"
        fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fp:
                fp.write(data)
                fp.flush()
                os.fsync(fp.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
