"""Starting kiosk mode: load the directory and guidance off the UI thread, then build the window."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from intake.accounts import Account, Role
from intake.guidance import GuidanceError, Section, load_guidance
from intake.i18n import _
from intake.routing.engine import Router
from intake.safety import ScreenError
from intake.settings import Settings
from intake.storage.db import Store
from intake.ui.kiosk.session import KioskServices
from intake.ui.kiosk.window import KioskWindow
from intake.ui.language import LanguageManager
from intake.ui.widgets import Message


@dataclass(frozen=True)
class KioskData:
    router: Router
    guidance: tuple[Section, ...]


def directory_override() -> Path | None:
    configured = os.environ.get("INTAKE_DIRECTORY")
    return Path(configured) if configured else None


def load_kiosk_data(store: Store, account_id: str) -> KioskData:
    """Runs on a worker thread: reads files and writes the audit log, touches no widget."""
    from intake.directory.load import load_directory  # noqa: PLC0415
    from intake.storage.account_store import record_event  # noqa: PLC0415

    data = KioskData(Router(load_directory(directory_override())), load_guidance())
    record_event(store, account_id, "kiosk-start")
    return data


def explain_start_failure(exc: BaseException) -> Message | None:
    """A mistake in a data file: say which, in the person's language (the detail is for IT)."""
    from intake.directory.load import DirectoryError  # noqa: PLC0415

    if isinstance(exc, DirectoryError | GuidanceError | ScreenError):
        detail = str(exc)
        return lambda: (
            _("The application cannot start: a data file has a mistake"),
            _(
                "Nothing was changed. Give this to the person who looks after this computer: {detail}"
            ).format(detail=detail),
        )
    return None


def build_kiosk(  # noqa: PLR0917 - the controller's state, passed once
    data: object,
    manager: LanguageManager,
    store: Store,
    account: Account,
    accounts: list[Account],
    settings: Settings,
) -> KioskWindow:
    assert isinstance(data, KioskData)
    services = KioskServices(
        router=data.router,
        guidance=data.guidance,
        store=store,
        account_id=account.id,
        default_province=settings.kiosk_province,
        now=lambda: datetime.now().astimezone(),
    )
    default_language = settings.kiosk_language or manager.language
    manager.apply(default_language)
    return KioskWindow(
        manager,
        services,
        [a for a in accounts if a.role is Role.SUPERVISOR],
        default_language=default_language,
        idle_seconds=settings.kiosk_idle_seconds,
        countdown_seconds=settings.kiosk_countdown_seconds,
    )
