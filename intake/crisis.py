"""The crisis route for a province or territory: who to call, in the order to call them.

Built from the routing engine's own crisis ranking, so the phone line, the kiosk and
`intake route` never disagree, in the order the tier calls for: at imminent risk emergency
services first (or the local alternative where 9-1-1 does not exist), then 9-8-8 by call or
text, then the 24/7 lines of the province or territory; at high risk (and concern) 9-8-8 and the
province's 24/7 crisis lines first, for a warm transfer, then emergency services (for when the
danger becomes immediate), then the other 24/7 lines. A crisis route opened with no tier yet
("not-screened", or "none") is treated as imminent: someone opened it for a reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from intake.directory.model import Contact, Program
from intake.provinces import ALL
from intake.routing.engine import Request, Router, crisis_rank

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
    tier: str = "imminent"

    @property
    def emergency_first(self) -> bool:
        return self.tier == "imminent"

    @property
    def entries(self) -> tuple[CrisisEntry, ...]:
        """The engine's crisis order for the tier (the recommendations list agrees); the local
        lines keep the engine's order among themselves (the sort is stable)."""
        shown = [e for e in (self.emergency, self.line_988, *self.local_lines) if e is not None]
        imminent = self.emergency_first
        return tuple(sorted(shown, key=lambda e: crisis_rank(e.program, imminent=imminent)))


def ordering_tier(risk: str) -> str:
    """The tier whose order the crisis route follows: high and concern put 9-8-8 first."""
    return "high" if risk in ("high", "concern") else "imminent"


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
    risk: str = "imminent",
    about_family: bool = False,
) -> CrisisPlan:
    tier = ordering_tier(risk)
    if province is None:
        nine_one_one, line = router.get(NINE_ONE_ONE), router.get(NINE_EIGHT_EIGHT)
        return CrisisPlan(
            None,
            _entry(nine_one_one, None) if nine_one_one else None,
            _entry(line, None) if line else None,
            (),
            tier,
        )
    result = router.route(
        Request(
            province,
            at,
            role=role,
            language=language,
            about_colleague=about_colleague,
            about_family=about_family,
            risk=tier,
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
    return CrisisPlan(province, emergency, line_988, tuple(local), tier)
