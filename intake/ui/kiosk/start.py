"""Starting kiosk mode: load the directory and guidance off the UI thread, then build the window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from intake.accounts import Account, Role
from intake.guidance import Section, load_guidance
from intake.routing.engine import Router
from intake.settings import Settings
from intake.storage.db import Store
from intake.ui.kiosk.session import KioskServices
from intake.ui.kiosk.window import KioskWindow
from intake.ui.language import LanguageManager


@dataclass(frozen=True)
class KioskData:
    router: Router
    guidance: tuple[Section, ...]


def load_kiosk_data(store: Store, account_id: str) -> KioskData:
    """Runs on a worker thread: reads files and writes the audit log, touches no widget."""
    from intake.directory.load import load_directory, override_from_environment  # noqa: PLC0415
    from intake.storage.account_store import record_event  # noqa: PLC0415

    data = KioskData(Router(load_directory(override_from_environment())), load_guidance())
    record_event(store, account_id, "kiosk-start")
    return data


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
        crisis_idle_seconds=settings.kiosk_crisis_idle_seconds,
        staff_alert=settings.kiosk_staff_alert,
    )
