"""Finding programs in the directory browser: every filter the volunteer can set, Qt-free."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from intake.directory.model import Program
from intake.i18n import NP_
from intake.provinces import ALL

KIND_NAMES = {
    "peer-support": NP_("program kind", "Peer support"),
    "counselling": NP_("program kind", "Counselling"),
    "mentorship": NP_("program kind", "Mentorship"),
    "coaching": NP_("program kind", "Coaching"),
    "health-program": NP_("program kind", "Physician health program"),
    "support-line": NP_("program kind", "24/7 support line"),
    "crisis-line": NP_("program kind", "Crisis line"),
    "emergency": NP_("program kind", "Emergency services"),
    "information": NP_("program kind", "Information"),
    "regulatory": NP_("program kind", "Regulatory body"),
}
COST_NAMES = {
    "free": NP_("cost", "Free"),
    "free-for-members": NP_("cost", "Free for members"),
    "fee": NP_("cost", "Fee"),
    "unknown": NP_("cost", "Not known"),
}
STATUS_NAMES = {
    "verified": NP_("fact status", "verified"),
    "third-party": NP_("fact status", "third-party source only"),
    "unverified": NP_("fact status", "not verified"),
}


def _folded(text: str) -> str:
    """Lower case without accents, so "quebec" finds "Québec"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class BrowseFilter:
    text: str = ""
    province: str | None = None
    kind: str | None = None
    format: str | None = None  # a mode (one-on-one, group) or a channel (phone, virtual…)
    language: str | None = None
    cost: str | None = None
    open_at: datetime | None = None  # only programs open at this moment

    def matches(self, program: Program) -> bool:
        modes, channels = program.formats.value
        return (
            (not self.province or bool({self.province, ALL} & program.provinces))
            and (not self.kind or self.kind in program.kinds)
            and (not self.format or self.format in modes | channels)
            and (not self.language or self.language in program.languages.value)
            and (not self.cost or program.cost.value == self.cost)
            # "Open now" means known to be open: unknown hours are never claimed open.
            and (self.open_at is None or program.hours.open_at(self.open_at) is True)
            and (not self.text or self._text_matches(program))
        )

    def _text_matches(self, program: Program) -> bool:
        haystack = _folded(
            " ".join(
                (
                    program.id,
                    program.name.text.en,
                    program.name.text.fr,
                    program.description.en,
                    program.description.fr,
                )
            )
        )
        return all(word in haystack for word in _folded(self.text).split())


def browse(programs: Iterable[Program], filters: BrowseFilter, language: str) -> list[Program]:
    """The programs that match, by name in `language`."""
    found = [p for p in programs if filters.matches(p)]
    return sorted(found, key=lambda p: _folded(p.name.text.get(language)))
