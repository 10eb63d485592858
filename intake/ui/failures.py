"""What a person reads when something fails: a typed store error explains itself (in their
language); anything else is our bug, logged by type only (never a value that could hold text
someone typed). Kept apart from the application controller so any view can use it without
importing the controller (which imports the views: an import cycle)."""

from __future__ import annotations

import logging

from intake.i18n import _
from intake.services.session import StoreError
from intake.ui.widgets import Message

log = logging.getLogger(__name__)


def explain(exc: BaseException) -> Message:
    if isinstance(exc, StoreError):
        return exc.explain
    log.error("unexpected error: %s", type(exc).__name__, exc_info=exc)
    return lambda: (
        _("Something went wrong inside the application"),
        _(
            "Nothing you typed was lost. Try again; if it happens again, tell the person who "
            "looks after this computer."
        ),
    )
