"""What the gate and the lock screen say when the line's shared server cannot be reached
(issue 18). `ServerUnreachable`'s own advice says that routing, the directory and the crisis
route keep working, which is true in the signed-in window; before a PIN is in, it is true only
through the "Crisis route" and "Directory" buttons under the field, so these say that instead,
with what the server's absence stops here and now."""

from __future__ import annotations

from collections.abc import Callable

from intake.i18n import _
from intake.services.offline_unlock import server_did_not_answer
from intake.ui.failures import explain
from intake.ui.widgets import Message


def _when_down(exc: BaseException, body: Callable[[], str]) -> Message:
    """`body` under the "cannot be reached" title when the server did not answer at all; what
    it refused otherwise (a certificate, a login: `explain`)."""
    if not server_did_not_answer(exc):
        return explain(exc)
    return lambda: (_("The shared store's server cannot be reached"), body())


def at_unlock(exc: BaseException) -> Message:
    """The line passphrase could not be tried: the server holds the line's key."""
    return _when_down(
        exc,
        lambda: _(
            "The line's records cannot be opened until it answers: try again in a moment. The "
            "crisis route and the directory below work without it, with no passphrase."
        ),
    )


def at_pin(exc: BaseException) -> Message:
    """A PIN (at sign-in, or to unlock with nothing kept to check it here) could not be
    checked: the server holds the verifiers."""
    return _when_down(
        exc,
        lambda: _(
            "Your PIN cannot be checked until it answers: try again in a moment. The crisis "
            "route and the directory below work without it, with no PIN."
        ),
    )


def at_setup(exc: BaseException) -> Message:
    """Set-up on the line's shared server could not reach it (the set-up page has no crisis
    route of its own: nothing is said to keep working here)."""
    return _when_down(
        exc,
        lambda: _(
            "The line's store cannot be created or joined until it answers. Everything typed "
            "is still here: check the address and the network, then try again."
        ),
    )
