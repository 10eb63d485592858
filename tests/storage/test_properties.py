"""Whatever text comes in comes back exactly: arbitrary Unicode, control characters, very long
notes, text that looks like SQL or like a search query."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.storage.account_store import list_accounts
from intake.storage.db import Store
from intake.storage.errors import MAX_NOTE_LENGTH, NoteTooLong
from intake.storage.records import add_note, get_contact, save_contact, search_notes
from tests.conftest import make_store
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


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, str]]:
    store = make_store(Path(tmp_path_factory.mktemp("props")) / "store.db")
    yield store, list_accounts(store)[0].id
    store.close()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.one_of(TEXT, TRICKY), name=st.one_of(st.none(), TEXT))
def test_notes_and_names_round_trip_exactly(
    shared: tuple[Store, str], body: str, name: str | None
) -> None:
    store, actor = shared
    record = contact(caller_name=name)
    save_contact(store, record, actor)
    add_note(store, str(uuid.uuid4()), record.id, body, actor)
    loaded, notes = get_contact(store, record.id, actor)
    assert loaded.caller_name == name
    assert [n.body for n in notes] == [body]
    search_notes(store, body)  # any input is a safe query: no exception, no injection


def test_a_very_long_note_round_trips(shared: tuple[Store, str]) -> None:
    store, actor = shared
    record = contact()
    save_contact(store, record, actor)
    text = "Une très longue note, avec des accents et des guillemets « » ' \". " * 40_000
    body = text[:MAX_NOTE_LENGTH]  # the longest note allowed
    add_note(store, "long-note", record.id, body, actor)
    assert get_contact(store, record.id, actor)[1][0].body == body
    with pytest.raises(NoteTooLong):  # one more character is refused, not cut
        add_note(store, "longer-note", record.id, text[: MAX_NOTE_LENGTH + 1], actor)
