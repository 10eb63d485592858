"""At "concern" the standard says: offer 9-8-8 and the peer program. Which comes first depends on
whether the program answers now: open, not in doubt, reachable now by phone, text or chat
through a number that is not unverified. Each condition is checked alone here, on a copy of the
shipped directory changed in that one way, in the full route and the limited one alike (a
reviewer found that no test failed without some of them). Also: the topic's program stays
third, and a role the directory says may be served is shown to confirm, but not on a call about
a colleague."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from intake.directory.load import load_directory
from intake.directory.model import Contact, Program, Text
from intake.routing.engine import Request, Router

PROGRAMS = load_directory()
TUESDAY_10AM_TORONTO = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
SUNDAY_3AM_TORONTO = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


def _router_with(program_id: str, change: dict[str, object]) -> Router:
    return Router([replace(p, **change) if p.id == program_id else p for p in PROGRAMS])


def _first_two(router: Router, request: Request) -> list[list[str]]:
    """The first two ids of the full route and of the limited one (the cheap ranking, which
    the router otherwise keeps for directories over 150 programs)."""
    full = router.route(request)
    router.first_only_above = 0
    limited = router.route(request, 3)
    return [[r.program.id for r in result.recommendations[:2]] for result in (full, limited)]


def _oma() -> Program:
    return next(p for p in PROGRAMS if p.id == "on-oma-php")


def _unverified(contact: Contact) -> Contact:
    return replace(contact, provenance=replace(contact.provenance, status="unverified"))


def test_open_and_reachable_the_program_comes_first() -> None:
    request = Request("ON", TUESDAY_10AM_TORONTO, risk="concern")
    assert _first_two(Router(PROGRAMS), request) == [["on-oma-php", "ca-988"]] * 2


@pytest.mark.parametrize(
    "change",
    [
        {"doubt": Text("May have closed.", "A peut-être fermé.")},
        {"contacts": tuple(_unverified(c) for c in _oma().contacts)},
        {"contacts": tuple(c for c in _oma().contacts if c.type in ("email", "web"))},
    ],
    ids=["in doubt", "only unverified numbers", "only email and web"],
)
def test_any_one_reason_it_cannot_answer_puts_988_first(change: dict[str, object]) -> None:
    request = Request("ON", TUESDAY_10AM_TORONTO, risk="concern")
    router = _router_with("on-oma-php", change)
    assert [ids[0] for ids in _first_two(router, request)] == ["ca-988", "ca-988"]


def test_a_program_in_doubt_does_not_go_ahead_of_988_even_alone_in_its_tier() -> None:
    """In the shipped directory a doubtful program sorts behind the others of its tier, so the
    rule only shows with nothing else beside it: 9-8-8 and one open, reachable program."""
    doubtful = replace(_oma(), doubt=Text("May have closed.", "A peut-être fermé."))
    line = next(p for p in PROGRAMS if p.id == "ca-988")
    request = Request("ON", TUESDAY_10AM_TORONTO, risk="concern")
    assert _first_two(Router([line, doubtful]), request) == [["ca-988", "on-oma-php"]] * 2
    assert _first_two(Router([line, _oma()]), request) == [["on-oma-php", "ca-988"]] * 2


def test_the_topics_program_stays_third_when_988_goes_first() -> None:
    request = Request("ON", SUNDAY_3AM_TORONTO, risk="concern", topics=frozenset({"complaint"}))
    router = Router(PROGRAMS)
    full = router.route(request)
    router.first_only_above = 0
    for result in (full, router.route(request, 5)):
        ids = [r.program.id for r in result.recommendations]
        assert ids[:3] == ["ca-988", "on-oma-php", "ca-cmpa"]


def test_a_spouse_calling_about_their_partner_is_shown_paro_to_confirm() -> None:
    request = Request("ON", SUNDAY_3AM_TORONTO, role="family", about_family=True)
    paro = next(
        r for r in Router(PROGRAMS).route(request).recommendations if r.program.id == "on-paro"
    )
    assert "confirm-eligibility" in paro.warnings
    assert "confirm-eligibility" in paro.reasons


def test_a_role_to_confirm_does_not_open_a_program_to_a_call_about_a_colleague() -> None:
    request = Request("ON", SUNDAY_3AM_TORONTO, role="family", about_colleague=True)
    result = Router(PROGRAMS).route(request)
    assert "on-paro" not in [r.program.id for r in result.recommendations]
    assert "on-paro" in [e.id for e in result.excluded]


def test_a_contact_for_some_callers_comes_last_even_beside_an_unverified_general_one() -> None:
    peer = next(p for p in PROGRAMS if p.id == "bc-peer-support")
    contacts = tuple(c if c.tags else _unverified(c) for c in peer.contacts)
    router = _router_with("bc-peer-support", {"contacts": contacts})
    rec = next(
        r
        for r in router.route(Request("BC", TUESDAY_10AM_TORONTO)).recommendations
        if r.program.id == "bc-peer-support"
    )
    assert "some-callers" in rec.contacts[-1].tags
    assert rec.contacts[0].provenance.status == "unverified"
