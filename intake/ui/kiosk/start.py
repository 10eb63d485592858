"""Starting kiosk mode: load the directory and guidance off the UI thread, then build the window."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from intake.accounts import Account
from intake.guidance import Section, load_guidance
from intake.routing.engine import Router
from intake.services.kiosk import KioskDesk
from intake.services.session import Session
from intake.settings import Settings
from intake.ui.kiosk.session import KioskServices
from intake.ui.kiosk.window import KioskWindow
from intake.ui.language import LanguageManager


@dataclass(frozen=True)
class KioskData:
    router: Router
    guidance: tuple[Section, ...]
    # The program's kiosk policy saved in the console (the encrypted store), by setting name.
    stored: dict[str, Any] = field(default_factory=dict)


def load_kiosk_data(session: Session, account_id: str) -> KioskData:
    """Runs on a worker thread: reads files and writes the audit log, touches no widget."""
    from intake.services.accounts import stored_kiosk_settings  # noqa: PLC0415
    from intake.services.directory_checks import current_directory  # noqa: PLC0415

    data = KioskData(
        # With the directory checks a supervisor made in the console, as the phone line: the
        # kiosk's cards are a point of referral too.
        Router(current_directory(session.store)),
        load_guidance(),
        stored_kiosk_settings(session.store),
    )
    session.kiosk_started(account_id)
    return data


def build_kiosk(
    data: object,
    manager: LanguageManager,
    session: Session,
    account: Account,
    settings: Settings,
) -> KioskWindow:
    assert isinstance(data, KioskData)
    services = KioskServices(
        router=data.router,
        guidance=data.guidance,
        desk=KioskDesk(session.store, account.id),
        account_id=account.id,
        default_province=settings.kiosk_province,
        now=lambda: datetime.now().astimezone(),
    )
    default_language = settings.kiosk_language or manager.language
    manager.apply(default_language)
    # The program's policy (timers, staff alert) comes from the encrypted store; an older
    # station's settings file still counts for what the console has not set.
    settings = replace(settings, **data.stored)
    return KioskWindow(
        manager,
        services,
        session.supervisors,
        default_language=default_language,
        idle_seconds=settings.kiosk_idle_seconds,
        countdown_seconds=settings.kiosk_countdown_seconds,
        crisis_idle_seconds=settings.kiosk_crisis_idle_seconds,
        staff_alert=settings.kiosk_staff_alert,
    )
