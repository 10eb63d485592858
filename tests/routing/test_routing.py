"""Routing rules, checked across every province and territory, role, language and risk tier."""

from __future__ import annotations

from datetime import datetime
from itertools import product
from pathlib import Path

import pytest

from intake.directory.load import load_directory
from intake.i18n import set_language
from intake.provinces import CODES, PROVINCES, ROLES
from intake.routing.engine import RISKS, Request, Result, Router, RoutingInputError
from intake.routing.reasons import (
    EXCLUSIONS,
    REASONS,
    WARNINGS,
    exclusion_text,
    reason_text,
    warning_text,
)
from intake.timezones import zone
from tests.routing.helpers import entry, write

ROUTER = Router(load_directory())
TUESDAY_10AM_TORONTO = datetime(2026, 11, 24, 10, 0, tzinfo=zone("America/Toronto"))
SUNDAY_3AM_TORONTO = datetime(2026, 11, 22, 3, 0, tzinfo=zone("America/Toronto"))


def route(**kwargs: object) -> Result:
    kwargs.setdefault("at", TUESDAY_10AM_TORONTO)
    return ROUTER.route(Request(**kwargs))  # type: ignore[arg-type]


def ids(result: Result) -> list[str]:
    return [r.program.id for r in result.recommendations]


@pytest.mark.parametrize(
    ("province", "role", "language", "risk"), list(product(CODES, ROLES, ("en", "fr"), RISKS))
)
def test_invariants_everywhere(province: str, role: str, language: str, risk: str) -> None:
    result = route(province=province, role=role, language=language, risk=risk)
    assert result.crisis == (risk in ("high", "imminent"))
    excluded = {e.id for e in result.excluded}
    assert excluded.isdisjoint(ids(result))
    assert excluded | set(ids(result)) == {p.id for p in ROUTER.programs}  # nothing vanishes
    for rec in result.recommendations:
        program = rec.program
        # Eligibility is never violated.
        assert province in program.provinces or "*" in program.provinces
        if role in program.roles or "anyone" in program.roles:
            assert "confirm-eligibility" not in rec.warnings
        else:
            # Unknown eligibility is not "no": a physician-stage role is shown, to confirm, and
            # a role the directory says may be served (PARO: residents' families).
            assert role in program.confirm_roles or (
                role in ("resident", "student", "retired") and "physician" in program.roles
            ), program.id
            assert "confirm-eligibility" in rec.warnings
        # Emergency services and 9-8-8 carry no warnings about name, cost or eligibility.
        if program.kind == "emergency" or program.id == "ca-988":
            assert rec.warnings == ()
        assert program.kind != "regulatory"
        assert program.listing == "show"
        assert all(c.offered_in(province) for c in rec.contacts)
        # A closed program keeps its next opening (when known) and a 24/7 alternative.
        if rec.open_now is False:
            assert rec.alternative is not None
            assert rec.next_open is None or rec.next_open > TUESDAY_10AM_TORONTO
        assert set(rec.reasons) <= set(REASONS)
        assert {w.split(":")[0] for w in rec.warnings} <= set(WARNINGS)
    if risk == "imminent":
        first = result.recommendations[0].program
        assert first.kind == "emergency"
        assert ids(result)[1] == "ca-988"
    if risk == "high":
        # 9-8-8, then the province's 24/7 crisis lines (warm-transfer targets), then emergency
        # services "if the danger becomes immediate" (the standard's step 5).
        assert ids(result)[0] == "ca-988"
        programs = [r.program for r in result.recommendations]
        at = next(i for i, p in enumerate(programs) if p.kind == "emergency")
        assert all(
            p.kind == "crisis-line" and p.hours.always_open and p.doubt is None
            for p in programs[1:at]
        )
        assert "emergency-if-immediate" in result.recommendations[at].reasons
        assert "emergency-first" not in result.recommendations[at].reasons
    if province == "NU":
        assert "ca-911" not in ids(result)
        if risk == "imminent":
            assert ids(result)[0] == "nu-local-emergency"
            assert result.recommendations[0].contacts  # never an empty card first
    if risk in ("concern", "high", "imminent"):
        assert "ca-988" in ids(result)[:3]
    else:
        assert not any(
            r.program.kind in ("emergency", "crisis-line") for r in result.recommendations
        )


@pytest.mark.parametrize(
    ("province", "expected_first"),
    [
        ("AB", "ab-pfsp"),
        ("BC", "bc-peer-support"),
        ("MB", "mb-peer-support"),
        ("NS", "ns-psp"),
        ("QC", "qc-pamq"),
    ],
)
def test_the_provincial_peer_program_comes_first(province: str, expected_first: str) -> None:
    assert ids(route(province=province))[0] == expected_first


def test_a_program_nobody_can_reach_ranks_below_one_that_can_be_reached() -> None:
    result = route(province="PE")
    p2p = next(r for r in result.recommendations if r.program.id == "pe-p2p")
    assert "no-verified-contact" in p2p.warnings
    assert p2p.contacts == ()
    # Within the caller's own province: after the program that can be reached.
    assert ids(result).index("pe-php") < ids(result).index("pe-p2p")


def test_regulatory_body_is_never_offered() -> None:
    result = route(province="MB", need="counselling")
    assert ("mb-cpsm-php", "regulatory-not-peer-support") in {
        (e.id, e.reason) for e in result.excluded
    }


def test_nwt_physicians_get_the_ama_line_the_cma_list_names() -> None:
    result = route(province="NT", at=SUNDAY_3AM_TORONTO)
    first = result.recommendations[0]
    assert first.program.id == "nt-nwtma"
    assert first.open_now is True
    assert "third-party:eligibility" in first.warnings  # the CMA's word: confirm membership
    assert first.contacts[0].display("en") == "1-877-767-4637"


def test_a_closed_program_shows_its_next_opening_in_the_callers_time_and_an_alternative() -> None:
    result = route(province="ON", need="counselling", at=SUNDAY_3AM_TORONTO)
    php = next(r for r in result.recommendations if r.program.id == "on-oma-php")
    assert php.open_now is False
    assert php.next_open == datetime(2026, 11, 23, 8, 45, tzinfo=zone("America/Toronto"))
    assert "closed-now" in php.reasons
    assert php.alternative is not None
    alternative = ROUTER.get(php.alternative)
    assert alternative is not None
    assert alternative.hours.always_open


def test_next_opening_is_given_in_the_callers_zone() -> None:
    # The CMPA keeps Toronto hours; an Alberta caller sees the opening in Alberta time.
    result = route(
        province="AB", need="information", topics=frozenset({"complaint"}), at=SUNDAY_3AM_TORONTO
    )
    cmpa = next(r for r in result.recommendations if r.program.id == "ca-cmpa")
    assert cmpa.next_open is not None
    assert cmpa.next_open.tzinfo is not None
    assert cmpa.next_open.utcoffset().total_seconds() == -6 * 3600
    assert (cmpa.next_open.hour, cmpa.next_open.minute) == (7, 30)


def test_about_a_colleague_in_quebec() -> None:
    result = route(province="QC", role="other", about_colleague=True)
    pamq = next(r for r in result.recommendations if r.program.id == "qc-pamq")
    assert "helps-worried-others" in pamq.reasons


def test_someone_else_without_a_colleague_gets_only_public_resources() -> None:
    result = route(province="ON", role="other", risk="concern")
    assert all("anyone" in r.program.roles for r in result.recommendations)


def test_indigenous_and_veteran_preferences() -> None:
    plain = route(province="NU", risk="concern")
    assert "ca-hope-for-wellness" not in ids(plain)
    indigenous = route(province="NU", risk="concern", indigenous=True)
    assert "ca-hope-for-wellness" in ids(indigenous)
    hope = next(r for r in indigenous.recommendations if r.program.id == "ca-hope-for-wellness")
    assert "indigenous" in hope.reasons
    veteran = route(province="ON", need="counselling", veteran=True)
    assert {"ca-vac-assistance", "ca-osiss"} <= set(ids(veteran))


def test_support_outside_ones_own_community() -> None:
    result = route(province="BC", outside_community=True)
    first = result.recommendations[0]
    assert "outside-community" in first.reasons
    assert first.program.outside_community


def test_format_and_channel_preferences_reorder_but_never_exclude() -> None:
    group = route(province="ON", modes=frozenset({"group"}), channels=frozenset({"virtual"}))
    assert "format-match" in group.recommendations[0].reasons
    assert set(ids(group)) == set(ids(route(province="ON")))


def test_need_changes_the_order() -> None:
    assert ids(route(province="BC", need="counselling"))[0] == "bc-php"
    assert ids(route(province="BC", need="peer"))[0] == "bc-peer-support"


def test_warnings_say_what_is_unverified_third_party_or_stale() -> None:
    pamq = route(province="QC").recommendations[0]
    assert "unverified:hours" in pamq.warnings
    assert "third-party:contact=514-397-0888" in pamq.warnings
    later = route(province="QC", at=datetime(2028, 1, 10, 10, tzinfo=zone("America/Toronto")))
    assert "stale:hours" in later.recommendations[0].warnings
    pfsp_fr = route(province="AB", language="fr").recommendations[0]
    assert "unofficial-french-name" in pfsp_fr.warnings
    assert (
        "unofficial-french-name"
        not in route(province="QC", language="fr").recommendations[0].warnings
    )


def test_known_language_mismatch_lowers_the_rank(tmp_path: Path) -> None:
    english_only = entry(id="on-english-only").replace('value = ["en", "fr"]', 'value = ["en"]')
    router = Router(load_directory(write(tmp_path, english_only)))
    request = Request("ON", TUESDAY_10AM_TORONTO, language="fr")
    rec = next(
        r for r in router.route(request).recommendations if r.program.id == "on-english-only"
    )
    assert "language-not-offered" in rec.warnings
    english = Request("ON", TUESDAY_10AM_TORONTO, language="en")
    assert router.route(english).recommendations[0].program.id == "on-english-only"
    assert router.route(request).recommendations[0].program.id != "on-english-only"


def test_every_code_reads_in_both_languages() -> None:
    for language in ("en", "fr"):
        set_language(language)
        texts = [reason_text(c) for c in REASONS] + [exclusion_text(c) for c in EXCLUSIONS]
        texts += [warning_text(f"{kind}:hours") for kind in ("unverified", "third-party", "stale")]
        assert all(texts)
    assert (
        warning_text("unverified:hours")
        == "Non vérifié\u00a0: heures. Ne le présentez pas comme un fait."
    )
    set_language("en")


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(province="XX"),
        dict(province="ON", risk="extreme"),
        dict(province="ON", need="therapy"),
        dict(province="ON", language="de"),
    ],
)
def test_bad_requests_are_refused(kwargs: dict[str, str]) -> None:
    with pytest.raises(RoutingInputError):
        Request(at=TUESDAY_10AM_TORONTO, **kwargs)  # type: ignore[arg-type]


def test_naive_time_is_refused() -> None:
    with pytest.raises(RoutingInputError, match="time zone"):
        Request("ON", datetime(2026, 11, 24, 10))


def test_every_province_has_a_zone_of_its_own() -> None:
    for code, province in PROVINCES.items():
        assert zone(province.zone).key == province.zone, code
    assert [p.code for p in PROVINCES.values() if not p.has_911] == ["NU"]


def _warnings_of(result: Result) -> dict[str, tuple[str, ...]]:
    return {rec.program.id: rec.warnings for rec in result.recommendations}


def test_a_french_speaking_caller_is_told_where_french_service_is_not_confirmed() -> None:
    """Outside Québec most programs do not say whether they serve in French: a volunteer says
    so ("I cannot confirm they serve in French") instead of reading a French script as a promise.
    Not for an English-speaking caller, not where French is confirmed (the CMA's bilingual line),
    not for a Québec-only program, never on 9-8-8 or 9-1-1."""
    french = _warnings_of(route(province="AB", language="fr", risk="high"))
    english = _warnings_of(route(province="AB", language="en", risk="high"))
    assert "french-not-confirmed" in french["ab-pfsp"]
    assert "french-not-confirmed" not in english["ab-pfsp"]
    assert french["ca-988"] == ()
    assert french["ca-911"] == ()
    quebec = _warnings_of(route(province="QC", language="fr"))
    assert "french-not-confirmed" not in quebec["qc-pamq"]
    nova_scotia = _warnings_of(route(province="NS", language="fr"))
    assert "french-not-confirmed" not in nova_scotia["ca-cma-wsl"]  # bilingual, verified
    assert "french-not-confirmed" in nova_scotia["ns-psp"]


def test_a_contact_for_some_callers_only_comes_after_the_ones_for_everyone() -> None:
    """BC's local peer support: its phone number is IMPACT's voicemail, for rural physicians
    after a challenging incident (callback within 72 hours); any other physician writes to PHP.
    Sorted by type alone, the voicemail came first and was read to every BC physician."""
    peer = next(
        rec
        for rec in route(province="BC", need="peer").recommendations
        if rec.program.id == "bc-peer-support"
    )
    assert [c.type for c in peer.contacts] == ["email", "voice"]
    assert "some-callers" in peer.contacts[-1].tags
