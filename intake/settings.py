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

log = logging.getLogger(__name__)
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Settings:
    ui_language: Language | None = None  # None until first run picks one
    schema_version: int = SCHEMA_VERSION

    def with_language(self, language: Language) -> Settings:
        return replace(self, ui_language=language)


def _validated(raw: dict[str, Any]) -> Settings:
    known = {f.name for f in fields(Settings)}
    values = {k: v for k, v in raw.items() if k in known}
    if values.get("ui_language") not in (*LANGUAGES, None):
        values.pop("ui_language")
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
