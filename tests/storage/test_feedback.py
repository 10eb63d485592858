"""Anonymous feedback: stored without any link to a person, summarised for reporting. On both
stores (`any_store`)."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from intake.storage.feedback import feedback_summary, save_feedback
from intake.storage.interface import RecordStore
from tests.storage.helpers import RawSql


def test_feedback_is_stored_and_summarised(any_store: RecordStore) -> None:
    day = date(2026, 11, 22)
    assert (
        save_feedback(
            any_store, "f1", day=day, channel="kiosk", language="fr", rating=5, found=True
        )
        == "created"
    )
    assert (
        save_feedback(
            any_store, "f2", day=day, channel="kiosk", language="en", rating=2, found=None
        )
        == "created"
    )
    assert (
        save_feedback(
            any_store, "f3", day=day, channel="phone", language="en", rating=None, found=False
        )
        == "created"
    )
    kiosk = feedback_summary(any_store, "kiosk")
    assert (kiosk.answers, kiosk.ratings, kiosk.found_yes, kiosk.found_no) == (2, 2, 1, 0)
    assert kiosk.average_rating == pytest.approx(3.5)
    everything = feedback_summary(any_store)
    assert (everything.answers, everything.found_no) == (3, 1)


def test_a_retried_save_is_not_counted_twice(any_store: RecordStore) -> None:
    day = date(2026, 11, 22)
    save_feedback(any_store, "same", day=day, channel="kiosk", language="en", rating=4, found=None)
    again = save_feedback(
        any_store, "same", day=day, channel="kiosk", language="en", rating=4, found=None
    )
    assert again == "unchanged"
    assert feedback_summary(any_store).answers == 1


def test_nothing_given_stores_nothing(any_store: RecordStore) -> None:
    result = save_feedback(
        any_store,
        "empty",
        day=date(2026, 11, 22),
        channel="kiosk",
        language="en",
        rating=None,
        found=None,
    )
    assert result == "empty"
    assert RawSql(any_store).query("SELECT count(*) FROM feedback")[0][0] == 0


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_a_rating_outside_one_to_five_is_refused(any_store: RecordStore, rating: int) -> None:
    with pytest.raises(ValueError, match="1 to 5"):
        save_feedback(
            any_store,
            "bad",
            day=date(2026, 11, 22),
            channel="kiosk",
            language="en",
            rating=rating,
            found=None,
        )


def test_the_schema_itself_refuses_bad_rows(any_store: RecordStore) -> None:
    raw = RawSql(any_store)
    with pytest.raises(raw.refused), raw.transaction() as run:
        run(
            "INSERT INTO feedback (id, day, channel, language, rating) VALUES ('x', '2026-11-22', 'kiosk', 'en', 9)"
        )


def test_feedback_has_no_column_that_could_identify_a_person(any_store: RecordStore) -> None:
    raw = RawSql(any_store)
    if raw.on_server:
        rows = raw.query(
            "SELECT ordinal_position, column_name FROM information_schema.columns "
            "WHERE table_name = 'feedback' AND table_schema = current_schema()"
        )
    else:
        rows = raw.query("PRAGMA table_info(feedback)")
    columns = {row[1] for row in rows}
    assert columns == {"id", "day", "channel", "language", "rating", "found"}


def test_background_calls_can_share_the_store(any_store: RecordStore) -> None:
    """Saves from several worker threads at once (an autosave overlapping a search) all land."""
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(25):
                save_feedback(
                    any_store,
                    f"t{n}-{i}",
                    day=date(2026, 11, 22),
                    channel="kiosk",
                    language="en",
                    rating=3,
                    found=None,
                )
                any_store.counts()
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert feedback_summary(any_store).answers == 100
