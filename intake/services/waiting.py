"""What a station keeps for the shared server, by kind (`Outbox.what_waits`): a plain value,
light to import (the kiosk's window and the status strip say it without loading the outbox)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Waiting:
    """What is kept here for the server, by kind (what the status line says): phone calls,
    kiosk visits, the requests for a peer supporter that wait with either (a call's or a
    visit's, inside its file: counted, not sent, apart), and kiosk visitors' anonymous ratings.
    """

    calls: int = 0
    visits: int = 0
    requests: int = 0
    ratings: int = 0

    @property
    def items(self) -> int:
        """The files: calls, visits and ratings (a request is part of its call's or visit's)."""
        return self.calls + self.visits + self.ratings
