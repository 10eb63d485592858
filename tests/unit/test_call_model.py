"""A call in progress as a value: drafts, records and consent, without a window."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from intake.call import CRISIS_ACTIONS, Call

AT = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


def filled(consent: bool | None = True) -> Call:
    return Call(
        contact_id="c1",
        started_at=AT.isoformat(),
        caller_language="fr",
        consent_notes=consent,
        anonymous=False,
        caller_name="Dr Jo Example",
        role="resident",
        province="QC",
        callback_number="+15145550199",
        safety={"thoughts": "no"},
        topics=["burnout"],
        need="peer",
        modes=["group"],
        channels=["phone"],
        offered=["qc-pamq", "ca-988"],
        chosen="qc-pamq",
        notes="Night shifts.",
        followup=True,
        followup_number="+15145550199",
        outcome="referred",
    )


@pytest.mark.parametrize("consent", [False, None])
def test_a_draft_without_consent_holds_no_free_text(consent: bool | None) -> None:
    payload = json.dumps(filled(consent).payload())
    for private in ("Dr Jo Example", "5550199", "Night shifts"):
        assert private not in payload


def test_a_draft_with_consent_round_trips() -> None:
    call = filled()
    again = Call.from_payload(json.loads(json.dumps(call.payload())))
    assert again == call


def test_unknown_draft_fields_are_ignored() -> None:
    data = filled().payload() | {"from_a_future_version": 1}
    assert Call.from_payload(data).contact_id == "c1"


def test_the_record_is_coded_and_keeps_identifiers_only_with_consent() -> None:
    record = filled().record("en", None)
    assert (record.channel, record.caller_language, record.ui_language) == ("phone", "fr", "en")
    assert record.caller_name == "Dr Jo Example"
    assert record.callback_number == "+15145550199"
    assert record.formats == ("group", "phone")
    assert {r["program"]: r["chosen"] for r in record.referrals} == {
        "qc-pamq": True,
        "ca-988": False,
    }
    refused = filled(False).record("en", None)
    assert (refused.caller_name, refused.callback_number, refused.consent_notes) == (
        None,
        None,
        False,
    )


def test_anonymous_means_no_name_even_with_consent() -> None:
    call = filled()
    call.anonymous = True
    assert call.record("en", None).caller_name is None


def test_forgetting_private_text_when_consent_is_withdrawn() -> None:
    call = filled()
    call.forget_private_text()
    assert (call.caller_name, call.callback_number, call.notes, call.followup_number) == ("",) * 4
    assert call.followup is False
    assert call.topics == ["burnout"]  # coded answers stay


def test_crisis_actions_are_coded_and_recorded_once() -> None:
    call = filled()
    call.add_crisis_action("crisis-route-opened")
    call.add_crisis_action("crisis-route-opened")
    assert call.crisis_actions == ["crisis-route-opened"]
    with pytest.raises(ValueError, match="unknown crisis action"):
        call.add_crisis_action("free text")
    assert set(call.record("en", None).crisis_actions) <= set(CRISIS_ACTIONS)


def test_the_routing_request_uses_the_callers_language() -> None:
    request = filled().request(AT)
    assert (request.province, request.language, request.role, request.need) == (
        "QC",
        "fr",
        "resident",
        "peer",
    )
    assert request.modes == frozenset({"group"})
    assert request.channels == frozenset({"phone"})
    with pytest.raises(ValueError, match="province"):
        Call("c2", AT.isoformat()).request(AT)
