"""Whatever text comes in comes back exactly: arbitrary Unicode, control characters, very long
notes, text that looks like SQL or like a search query. On both stores (`any_store`): the server keeps them sealed."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.storage.errors import MAX_NOTE_LENGTH, NoteTooLong
from intake.storage.interface import RecordStore
from tests.storage.helpers import contact

TEXT = st.text(st.characters(codec="utf-8"), min_size=1, max_size=500)
TRICKY = st.sampled_from(
    [
        "'; DROP TABLE notes; --",
        'x" OR "1"="1',
        "NEAR(a b)",
        "* ^ : AND OR NOT",
        "\x00\x01\x7f",
        "ligne 1\r\nligne 2\ttab",
        "\u202eRTL override",
        "👩‍⚕️ emoji ZWJ",
        "e\u0301 décomposé",
    ]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.one_of(TEXT, TRICKY), name=st.one_of(st.none(), TEXT))
def test_notes_and_names_round_trip_exactly(
    any_store: RecordStore, any_actor: str, body: str, name: str | None
) -> None:
    record = contact(caller_name=name)
    any_store.save_contact(record, any_actor)
    any_store.add_note(str(uuid.uuid4()), record.id, body, any_actor)
    loaded, notes = any_store.get_contact(record.id, any_actor)
    assert loaded.caller_name == name
    assert [n.body for n in notes] == [body]
    any_store.search_notes(body)  # any input is a safe query: no exception, no injection


def test_a_very_long_note_round_trips(any_store: RecordStore, any_actor: str) -> None:
    record = contact()
    any_store.save_contact(record, any_actor)
    text = "Une très longue note, avec des accents et des guillemets « » ' \". " * 40_000
    body = text[:MAX_NOTE_LENGTH]  # the longest note allowed
    any_store.add_note("long-note", record.id, body, any_actor)
    assert any_store.get_contact(record.id, any_actor)[1][0].body == body
    with pytest.raises(NoteTooLong):  # one more character is refused, not cut
        any_store.add_note("longer-note", record.id, text[: MAX_NOTE_LENGTH + 1], any_actor)
