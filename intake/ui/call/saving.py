"""Saving a finished call: runs on a worker thread, touches no widget.

The snapshot is taken by the caller on the UI thread (`snapshot_of`), so widgets editing the
call afterwards cannot change what is being saved; the service writes it in one transaction.
"""

from __future__ import annotations

from intake.call import Call
from intake.i18n import Language
from intake.services import calls
from intake.ui.call.base import CallServices


def snapshot_of(call: Call, services: CallServices, ui_language: Language) -> calls.CallSnapshot:
    ended = services.now().isoformat(timespec="seconds")
    return calls.snapshot(call, ui_language, ended)


def save_snapshot(snap: calls.CallSnapshot, services: CallServices) -> str:
    return services.desk.save(snap)


def save_call(call: Call, services: CallServices, ui_language: Language) -> str:
    """Snapshot and save at once (for callers already holding a private copy of the call)."""
    return save_snapshot(snapshot_of(call, services, ui_language), services)
