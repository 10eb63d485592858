"""What waits on this computer for the shared server, said as it is: calls, kiosk visits (with
the requests for a peer supporter among them) and anonymous ratings, each with its own plural
forms, for the phone window's status strip and the kiosk's staff panel."""

from __future__ import annotations

from intake.i18n import _, ngettext
from intake.services.waiting import Waiting


def what_waits(waiting: Waiting) -> str:
    """ "2 calls, 1 kiosk visit, with 1 request for a peer supporter" (in the current language);
    empty when nothing waits."""
    parts = []
    if waiting.calls:
        parts.append(
            ngettext("{count} call", "{count} calls", waiting.calls).format(count=waiting.calls)
        )
    if waiting.visits:
        parts.append(
            ngettext("{count} kiosk visit", "{count} kiosk visits", waiting.visits).format(
                count=waiting.visits
            )
        )
    if waiting.ratings:
        parts.append(
            ngettext(
                "{count} anonymous rating from the kiosk",
                "{count} anonymous ratings from the kiosk",
                waiting.ratings,
            ).format(count=waiting.ratings)
        )
    items = ", ".join(parts)
    if not waiting.requests:
        return items
    # A request waits inside its call's or visit's file: part of them, not one more item.
    requests = ngettext(
        "{count} request for a peer supporter",
        "{count} requests for a peer supporter",
        waiting.requests,
    ).format(count=waiting.requests)
    return _("{items}, with {requests}").format(items=items, requests=requests)
