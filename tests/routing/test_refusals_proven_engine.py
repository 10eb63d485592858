"""The route's shape proven from the refusing side (docs/mutation.md, engine.py): each test is a
caller a volunteer could take, written from the sources before it was routed, and fails when
mutation testing changes a line of `intake/routing/engine.py` that no other test noticed.

Every test builds its own router (a router shared between tests keeps what it worked out when
it was built, which would hide a changed line of its set-up), and the routes cut to the first
few (what a screen shows) are checked with the cheap ranking forced on (`first_only_above = 0`:
the shipped directory is below the size where it is used on its own), beside the full route.

What a volunteer expects (docs/routing.md, "The policy"): when nothing of the caller's own
province or territory is answering, a national line open at all hours that serves them comes
first; otherwise the province's own programs come first. A closed program says when it next
opens in the caller's own time, with a 24/7 alternative.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest

from intake.directory.load import load_directory
from intake.directory.model import Program
from intake.routing.engine import Recommendation, Request, Router
from intake.timezones import zone

TORONTO = zone("America/Toronto")
TUESDAY_10AM = datetime(2026, 11, 24, 10, 0, tzinfo=TORONTO)
SUNDAY_3AM = datetime(2026, 11, 22, 3, 0, tzinfo=TORONTO)
SHIPPED = {p.id: p for p in load_directory()}


def night_line() -> Program:
    """A national support line for anyone, answering at all hours, with no audience or topic of
    its own (the shipped one like it is for a group and a topic)."""
    return dataclasses.replace(
        SHIPPED["ca-smsrc"], id="ca-night-peers", topics=frozenset(), audience=frozenset()
    )


def routes(programs: list[Program], request: Request, limit: int) -> list[list[Recommendation]]:
    """The full route's first `limit`, and the route cut to `limit` by the cheap ranking."""
    full = Router(programs).route(request).recommendations[:limit]
    cheap = Router(programs)
    cheap.first_only_above = 0
    return [list(full), list(cheap.route(request, limit=limit).recommendations)]


@pytest.mark.parametrize("way", ["full", "first-few"])
def test_a_national_line_open_all_night_comes_first_only_when_the_province_is_closed(
    way: str,
) -> None:
    programs = [*SHIPPED.values(), night_line()]
    index = ["full", "first-few"].index(way)
    # Tuesday 10 a.m. in Toronto: the OMA's Physician Health Program answers; it comes first.
    day = routes(programs, Request(province="ON", at=TUESDAY_10AM), 5)[index]
    assert day[0].program.id == "on-oma-php"
    assert day[0].open_now is True
    assert "ca-night-peers" in [r.program.id for r in day]
    assert day[0].program.id != "ca-night-peers"
    # Sunday 3 a.m.: nothing of Ontario's own answers; the line that does comes first, and the
    # PHP says when it opens, in the caller's time (Toronto, -05:00), with that line beside it.
    night = routes(programs, Request(province="ON", at=SUNDAY_3AM), 5)[index]
    assert [r.program.id for r in night[:2]] == ["ca-night-peers", "on-oma-php"]
    php = night[1]
    assert php.open_now is False
    assert php.next_open is not None
    assert php.next_open.isoformat() == "2026-11-23T08:45:00-05:00"
    assert php.alternative == "ca-night-peers"


def test_a_fact_is_stale_only_when_checked_more_than_twelve_months_before_the_call() -> None:
    """docs/directory.md: every fact checked more than 12 months before the call is a "stale"
    warning. The PHP's hours checked 400 days before the call are; its eligibility checked
    exactly 365 days before is not (yet)."""
    php = SHIPPED["on-oma-php"]
    old = dataclasses.replace(php.hours.provenance, checked=date(2025, 10, 20))
    year = dataclasses.replace(php.eligibility.provenance, checked=date(2025, 11, 24))
    changed = dataclasses.replace(
        php,
        hours=dataclasses.replace(php.hours, provenance=old),
        eligibility=dataclasses.replace(php.eligibility, provenance=year),
    )
    programs = [changed if p.id == php.id else p for p in SHIPPED.values()]
    for way in routes(programs, Request(province="ON", at=TUESDAY_10AM), 3):
        warnings = next(r.warnings for r in way if r.program.id == php.id)
        assert "stale:hours" in warnings
        assert "stale:eligibility" not in warnings


def test_a_directory_with_only_a_program_for_the_calls_topic_still_gives_it() -> None:
    """An organisation's directory may hold only the CMPA; a physician facing a complaint is
    given it, on the first-few ranking as on the full route (it is pinned after the first
    program, and here there is no other)."""
    cmpa = SHIPPED["ca-cmpa"]
    request = Request(province="ON", at=TUESDAY_10AM, topics=frozenset({"complaint"}))
    for way in routes([cmpa], request, 3):
        assert [r.program.id for r in way] == ["ca-cmpa"]


@pytest.mark.parametrize("risk", ["none", "concern"])
def test_programs_the_topics_call_for_keep_their_tiers_order_after_the_first(risk: str) -> None:
    """A Veteran physician in Ontario harassed at work and now facing a complaint: Veterans
    Affairs' assistance service first (a program for the group they asked for), 9-8-8 next at
    "concern", then the programs the two topics call for in their tiers' order: the Veterans'
    line for harassment (their group's) before the CMPA (information)."""
    request = Request(
        province="ON",
        at=TUESDAY_10AM,
        veteran=True,
        risk=risk,
        topics=frozenset({"complaint", "harassment"}),
    )
    expected = ["ca-vac-assistance", "ca-smsrc", "ca-cmpa"]
    if risk == "concern":
        expected.insert(1, "ca-988")
    for way in routes(list(SHIPPED.values()), request, 5):
        assert [r.program.id for r in way[: len(expected)]] == expected


def test_a_complaint_with_no_line_open_all_night_offers_9_8_8_beside_a_closed_program() -> None:
    """An Ontario physician facing a complaint, Sunday 3 a.m., at no risk: no line of theirs is
    open at all hours (PARO is for residents and students), so a closed program's 24/7
    alternative is 9-8-8; the CMPA comes right after the first program."""
    request = Request(province="ON", at=SUNDAY_3AM, topics=frozenset({"complaint"}))
    for way in routes(list(SHIPPED.values()), request, 4):
        assert [r.program.id for r in way[:2]] == ["on-oma-php", "ca-cmpa"]
        assert way[0].open_now is False
        assert way[0].alternative == "ca-988"


def test_when_every_program_is_for_the_calls_topics_the_alternative_is_the_24_7_one() -> None:
    """A directory of two programs, both for the call's topics: a national support line open
    at all hours (for harassment) and the CMPA (complaints, office hours). At 3 a.m. on a
    Sunday the CMPA is closed, and its 24/7 alternative is that line, not itself."""
    line = dataclasses.replace(night_line(), topics=frozenset({"harassment"}))
    request = Request(province="ON", at=SUNDAY_3AM, topics=frozenset({"complaint", "harassment"}))
    for way in routes([line, SHIPPED["ca-cmpa"]], request, 3):
        cmpa = next(r for r in way if r.program.id == "ca-cmpa")
        assert cmpa.open_now is not True
        assert cmpa.alternative == "ca-night-peers"


def test_a_directory_without_9_8_8_never_names_it_as_the_alternative() -> None:
    """A router given only the PHP and the CMPA (no 24/7 line, no 9-8-8: the loader never
    allows that for a real directory, but the router must not invent an entry): a closed
    program has no 24/7 alternative rather than one the directory does not hold."""
    programs = [SHIPPED["on-oma-php"], SHIPPED["ca-cmpa"]]
    request = Request(province="ON", at=SUNDAY_3AM, topics=frozenset({"complaint"}))
    for way in routes(programs, request, 3):
        assert [r.program.id for r in way] == ["on-oma-php", "ca-cmpa"]
        assert way[0].open_now is False
        assert way[0].alternative is None


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_program_known_not_to_serve_the_callers_language_comes_later(language: str) -> None:
    """If the PHP were confirmed to serve in English only, an Ontario physician calling in
    French would be offered first a program that serves them in French; in English the PHP
    stays first."""
    php = SHIPPED["on-oma-php"]
    verified = dataclasses.replace(php.languages.provenance, status="verified")
    english_only = dataclasses.replace(
        php,
        languages=dataclasses.replace(php.languages, value=frozenset({"en"}), provenance=verified),
    )
    programs = [english_only if p.id == php.id else p for p in SHIPPED.values()]
    request = Request(province="ON", at=TUESDAY_10AM, language=language)
    for way in routes(programs, request, 3):
        assert (way[0].program.id == "on-oma-php") == (language == "en")
