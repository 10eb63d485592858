"""Preparing the phone-line workflow after sign-in, off the UI thread."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from intake.accounts import Account
from intake.guidance import GuidanceError, Section, load_guidance
from intake.i18n import _
from intake.routing.engine import Router
from intake.safety import Screen, ScreenError, load_screen
from intake.services.drafts import Draft, Drafts
from intake.services.session import Session
from intake.settings import Settings, SettingsFile
from intake.ui.call.base import CallServices
from intake.ui.widgets import Message


@dataclass(frozen=True)
class CallData:
    router: Router
    screen: Screen
    guidance: tuple[Section, ...]
    drafts: list[Draft]
    followups_due: int
    idle_minutes: int | None = None  # set in the console (the encrypted store); None: not set
    # The on-call supervisor's contact the console keeps (the file's store or the shared
    # server); None: not set there, or the server did not answer (the settings file's then).
    on_call_contact: str | None = None


def load_call_data(
    session: Session,
    account_id: str,
    *,
    sees_all: bool = False,
    settings_file: SettingsFile | None = None,
) -> CallData:
    """Runs on a worker thread: the directory, the safety screen, the guidance, this
    volunteer's unfinished calls (a crash or a closed window leaves one behind) and how many
    follow-ups are due by tomorrow (a supervisor's count covers everyone's)."""
    from intake.i18n.formatting import preload  # noqa: PLC0415
    from intake.services.accounts import (  # noqa: PLC0415
        idle_minutes,
        move_on_call_contact,
        on_call_contact,
    )
    from intake.services.directory_checks import current_directory  # noqa: PLC0415

    preload()  # both languages' dates: the first language switch then reads nothing
    idle: int | None = None
    on_call: str | None = None
    if session.shared:
        # The directory checks are kept by the console in the station's file; the shared server
        # does not hold them yet (docs/shared-store.md). The on-call contact and the idle time
        # are the server's console settings.
        from intake.directory.load import load_directory, override_from_environment  # noqa: PLC0415

        programs = load_directory(override_from_environment())
        on_call, idle = server_console_settings(session, settings_file, supervisor=sees_all)
    else:
        if settings_file is not None:  # confidential: out of the plaintext file, into the store
            move_on_call_contact(session.store, settings_file)
        # With the directory checks a supervisor made in the console: the status shown at the
        # point of referral follows them.
        programs = current_directory(session.store)
        idle = idle_minutes(session.store)
        on_call = on_call_contact(session.store)
    by = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    return CallData(
        Router(programs),
        load_screen(),
        load_guidance(),
        Drafts(session.draft_records, account_id).pending(),
        session.call_desk(account_id).followups_due(by, everyone=sees_all),
        idle,
        on_call,
    )


def server_console_settings(
    session: Session, settings_file: SettingsFile | None, *, supervisor: bool
) -> tuple[str | None, int | None]:
    """The shared server's on-call contact and idle time, read once at sign-in (the crisis
    route then shows the contact without asking the server again, whatever happens to it). A
    supervisor's sign-in first moves a contact this station's settings file still holds (a
    shared line's first station kept it there) onto the server, sealed. If the server does not
    answer: (None, None), and the settings file's contact, if it has one, is shown."""
    from intake.services.accounts import (  # noqa: PLC0415
        idle_minutes,
        move_on_call_contact,
        on_call_contact,
    )
    from intake.services.session import StoreError  # noqa: PLC0415

    store = session.records
    try:
        if supervisor and settings_file is not None:
            move_on_call_contact(store, settings_file)
        return on_call_contact(store), idle_minutes(store)
    except StoreError:
        return None, None


def idle_minutes_for(data: object, settings: Settings) -> int:
    """The idle lock time: the one a supervisor saved in the console, else the settings
    file's (a station set up before the console existed)."""
    stored = data.idle_minutes if isinstance(data, CallData) else None
    return stored or settings.idle_lock_minutes


def services_for(
    data: object, session: Session, account: Account, settings: Settings
) -> tuple[CallServices, list[Draft], int]:
    assert isinstance(data, CallData)
    services = CallServices(
        router=data.router,
        screen=data.screen,
        guidance=data.guidance,
        desk=session.call_desk(account.id),
        drafts=Drafts(session.draft_records, account.id),
        session=session,
        account_id=account.id,
        volunteer_name=spoken_name(account.display_name),
        # Set in the supervisor console (kept in the encrypted store or on the shared server);
        # an older settings file's value until it is moved there (or while the server did not
        # answer at sign-in).
        on_call_contact=data.on_call_contact or settings.on_call_contact,
        now=lambda: datetime.now().astimezone(),
    )
    return services, data.drafts, data.followups_due


_TITLES = frozenset({"dr", "dr.", "dre", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "mme", "m."})


def spoken_name(display_name: str) -> str:
    """The name the greeting says aloud: the first name only ("Alex Tremblay" -> "Alex"), never
    the volunteer's full display name; a display name of one word is used as set."""
    words = [w for w in display_name.split() if w.lower() not in _TITLES]
    return words[0] if words else display_name.strip()


def explain_start_failure(exc: BaseException) -> Message | None:
    """A mistake in a data file: say which, in the person's language (the detail is for IT)."""
    from intake.directory.load import DirectoryError  # noqa: PLC0415
    from intake.services.data_files import describer  # noqa: PLC0415

    if isinstance(exc, DirectoryError | GuidanceError | ScreenError):
        detail = describer(exc) or (lambda: str(exc))
        return lambda: (
            _("The application cannot start: a data file has a mistake"),
            _(
                "Nothing was changed. Give this to the person who looks after this computer: {detail}"
            ).format(detail=detail()),
        )
    return None
