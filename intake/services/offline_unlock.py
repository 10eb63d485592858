"""Unlocking a locked station while the line's shared server cannot be reached (issue 18).

Every PIN of a shared line is checked by its server. A station that locked (the idle lock, or
Lock) while the server is down would stay locked until it answers again. So, as for leaving
kiosk mode (`intake.services.kiosk_exit`, whose verifier this reuses), a phone line's sign-in
keeps, in this process's memory only (never on disk, in a log or in the settings; forgotten at
the next sign-in or when the session closes), a salted scrypt hash of the PIN the server has
just accepted. While the server cannot be reached the person who signed in, and only them, may
unlock with it: compared in constant time, wrong tries counted here with the server's lockout
schedule. Another person's PIN cannot be checked here: refused with `OnlySignedInPerson`. When
the server answers, its own check applies again.
"""

from __future__ import annotations

from intake.i18n import N_, _
from intake.services.kiosk_exit import OfflineKioskExit
from intake.storage.errors import ServerUnreachable, StoreError, server_did_not_answer

# ServerUnreachable and its test too: the windows tell it apart without reaching for storage.
__all__ = ["OfflineUnlock", "OnlySignedInPerson", "ServerUnreachable", "server_did_not_answer"]


class OnlySignedInPerson(StoreError):
    """Another person's PIN while the server cannot be reached: it cannot be checked here."""

    title = N_("The shared store's server cannot be reached")
    advice = N_(
        "Until it answers again, only {name}, who was signed in when this station locked, can "
        "unlock it, with their own PIN. The crisis route and the directory open without a PIN."
    )

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def explain(self) -> tuple[str, str]:
        return _(self.title), _(self.advice).format(name=self.name)


class OfflineUnlock(OfflineKioskExit):
    """The signed-in person's PIN verifier, in memory, and the wrong tries counted against it."""

    def refusal(self) -> StoreError:
        return OnlySignedInPerson(self.name)
