"""Starting kiosk mode: load the directory and guidance off the UI thread, then build the window."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from intake.accounts import Account
from intake.guidance import Section, load_guidance
from intake.routing.engine import Router
from intake.services.kiosk import KioskDesk
from intake.services.outbox import Outbox
from intake.services.session import Session
from intake.settings import Settings
from intake.ui.kiosk.session import KioskServices
from intake.ui.kiosk.window import KioskWindow
from intake.ui.language import LanguageManager


@dataclass(frozen=True)
class KioskData:
    router: Router
    guidance: tuple[Section, ...]
    # The program's kiosk policy saved in the console (the encrypted store or the shared
    # server), by setting name.
    stored: dict[str, Any] = field(default_factory=dict)


def load_kiosk_data(session: Session, account_id: str) -> KioskData:
    """Runs on a worker thread: reads files and writes the audit log, touches no widget."""
    from intake.services.accounts import stored_kiosk_settings  # noqa: PLC0415
    from intake.services.directory_checks import current_directory  # noqa: PLC0415

    if session.shared:
        # As the phone line on the server: the directory checks are kept in a station's file,
        # which a station on the shared server has not (docs/shared-store.md); the kiosk's
        # policy is the server's console settings, read once here.
        from intake.directory.load import load_directory, override_from_environment  # noqa: PLC0415
        from intake.services.session import StoreError  # noqa: PLC0415

        programs = load_directory(override_from_environment())
        try:
            stored = stored_kiosk_settings(session.records)
        except StoreError:  # the server stopped answering since sign-in: the settings file's
            stored = {}
    else:
        # With the directory checks a supervisor made in the console, as the phone line: the
        # kiosk's cards are a point of referral too.
        programs = current_directory(session.store)
        stored = stored_kiosk_settings(session.store)
    data = KioskData(Router(programs), load_guidance(), stored)
    session.kiosk_started(account_id)
    return data


def outbox_of(session: Session) -> Outbox | None:
    """The station's outbox on the shared server (none for the station's own file)."""
    from intake.services.shared import SharedSession  # noqa: PLC0415

    return session.outbox if isinstance(session, SharedSession) else None


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
        # The station's file, or the line's shared server (visits, callbacks, peer requests and
        # ratings then reach every station's worklist and the coordinator).
        # On the server, a visit it cannot save now waits sealed in the station's outbox.
        desk=KioskDesk(session.records, account.id, outbox_of(session)),
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
