"""The crisis route for a province or territory: who to call, in the order to call them.

Built from the routing engine's own crisis ranking, so the phone line, the kiosk and
`intake route` never disagree: emergency services (or the local alternative where 9-1-1 does not
exist), 9-8-8 by call or text, then the 24/7 lines of the province or territory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from intake.directory.model import Contact, Program
from intake.provinces import ALL
from intake.routing.engine import Request, Router

NINE_EIGHT_EIGHT = "ca-988"
NINE_ONE_ONE = "ca-911"


@dataclass(frozen=True)
class CrisisEntry:
    program: Program
    contacts: tuple[Contact, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class CrisisPlan:
    province: str | None  # None: not known yet; the entries are then the national ones
    emergency: CrisisEntry | None
    line_988: CrisisEntry | None
    local_lines: tuple[CrisisEntry, ...]

    @property
    def entries(self) -> tuple[CrisisEntry, ...]:
        first = tuple(e for e in (self.emergency, self.line_988) if e is not None)
        return first + self.local_lines


def _entry(program: Program, province: str | None) -> CrisisEntry:
    contacts = tuple(c for c in program.contacts if province is None or c.offered_in(province))
    return CrisisEntry(program, contacts, ())


def crisis_plan(
    router: Router,
    province: str | None,
    at: datetime,
    *,
    role: str = "physician",
    language: str = "en",
    about_colleague: bool = False,
) -> CrisisPlan:
    if province is None:
        nine_one_one, line = router.get(NINE_ONE_ONE), router.get(NINE_EIGHT_EIGHT)
        return CrisisPlan(
            None,
            _entry(nine_one_one, None) if nine_one_one else None,
            _entry(line, None) if line else None,
            (),
        )
    result = router.route(
        Request(
            province,
            at,
            role=role,
            language=language,
            about_colleague=about_colleague,
            risk="imminent",
        )
    )
    emergency: CrisisEntry | None = None
    line_988: CrisisEntry | None = None
    local: list[CrisisEntry] = []
    for rec in result.recommendations:
        entry = CrisisEntry(rec.program, rec.contacts, rec.warnings)
        if rec.program.kind == "emergency" and emergency is None:
            emergency = entry
        elif rec.program.id == NINE_EIGHT_EIGHT:
            line_988 = entry
        elif rec.program.hours.always_open and ALL not in rec.program.provinces and rec.contacts:
            local.append(entry)
    return CrisisPlan(province, emergency, line_988, tuple(local))
