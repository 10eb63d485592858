"""Leaving kiosk mode while the line's shared server cannot be reached (issue 18).

Every PIN of a shared line is checked by its server, which holds the verifiers. So that staff
can still close the kiosk at the end of the day during an outage, the station keeps, for the
kiosk session only and in this process's memory only (never on disk, in a log or in the
settings), a salted scrypt hash of the PIN of the supervisor who started kiosk mode, made at
the sign-in the server had just accepted. While the server cannot be reached that supervisor,
and only them (nobody else's PIN can be checked here), may end kiosk mode with it: compared in
constant time, and wrong tries counted here with the server's lockout schedule (every try of a
burst counts). When the server answers, its own check applies again; the failures counted here
stay counted here for the rest of the kiosk session (they are not sent to the server).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from intake.i18n import N_, _
from intake.pins import hash_pin, verify_pin
from intake.storage.account_store import lock_duration
from intake.storage.errors import AccountLocked, ServerUnreachable, StoreError

__all__ = ["OfflineKioskExit", "OnlyKioskStarter", "ServerUnreachable"]


class OnlyKioskStarter(StoreError):
    """Another supervisor's PIN while the server cannot be reached: it cannot be checked here."""

    title = N_("The shared store's server cannot be reached")
    advice = N_(
        "Until it answers again, only {name}, the supervisor who started kiosk mode, can end "
        "it, with their own PIN. Visits are kept safely on this kiosk meanwhile."
    )

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def explain(self) -> tuple[str, str]:
        return _(self.title), _(self.advice).format(name=self.name)


class OfflineKioskExit:
    """The kiosk starter's PIN verifier, in memory, and the wrong tries counted against it."""

    def __init__(
        self,
        account_id: str,
        name: str,
        pin: str,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.account_id = account_id
        self.name = name
        self._verifier = hash_pin(pin)  # a fresh salt: not the server's verifier, not the PIN
        self._clock = clock
        self._lock = threading.Lock()
        self.failures = 0
        self._locked_until: float | None = None

    def check(self, account_id: str, pin: str) -> bool:
        """True for the starter's right PIN; False for a wrong one (counted); OnlyKioskStarter
        for another account, AccountLocked while the lockout runs (a right PIN too)."""
        if account_id != self.account_id:
            raise self.refusal()
        right = verify_pin(pin, self._verifier)  # slow on purpose, constant-time comparison
        with self._lock:  # each try of a burst is counted, none slips past a lockout
            now = self._clock()
            if self._locked_until is not None and now < self._locked_until:
                raise AccountLocked()
            if right:
                self.failures, self._locked_until = 0, None
                return True
            self.failures += 1
            duration = lock_duration(self.failures)
            self._locked_until = now + duration.total_seconds() if duration else None
            return False

    def refusal(self) -> StoreError:
        """What another account's try is told: its PIN cannot be checked here."""
        return OnlyKioskStarter(self.name)

    def forget(self) -> None:
        self._verifier = ""  # verify_pin matches nothing
