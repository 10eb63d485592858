"""Anonymous feedback: stored without any link to a person, summarised for reporting."""

from __future__ import annotations

import threading
from datetime import date

import pytest
import sqlcipher3

from intake.storage.db import Store
from intake.storage.feedback import feedback_summary, save_feedback


def test_feedback_is_stored_and_summarised(store: Store) -> None:
    day = date(2026, 11, 22)
    assert (
        save_feedback(store, "f1", day=day, channel="kiosk", language="fr", rating=5, found=True)
        == "created"
    )
    assert (
        save_feedback(store, "f2", day=day, channel="kiosk", language="en", rating=2, found=None)
        == "created"
    )
    assert (
        save_feedback(
            store, "f3", day=day, channel="phone", language="en", rating=None, found=False
        )
        == "created"
    )
    kiosk = feedback_summary(store, "kiosk")
    assert (kiosk.answers, kiosk.ratings, kiosk.found_yes, kiosk.found_no) == (2, 2, 1, 0)
    assert kiosk.average_rating == pytest.approx(3.5)
    everything = feedback_summary(store)
    assert (everything.answers, everything.found_no) == (3, 1)


def test_a_retried_save_is_not_counted_twice(store: Store) -> None:
    day = date(2026, 11, 22)
    save_feedback(store, "same", day=day, channel="kiosk", language="en", rating=4, found=None)
    again = save_feedback(
        store, "same", day=day, channel="kiosk", language="en", rating=4, found=None
    )
    assert again == "unchanged"
    assert feedback_summary(store).answers == 1


def test_nothing_given_stores_nothing(store: Store) -> None:
    result = save_feedback(
        store,
        "empty",
        day=date(2026, 11, 22),
        channel="kiosk",
        language="en",
        rating=None,
        found=None,
    )
    assert result == "empty"
    assert store.query("SELECT count(*) FROM feedback")[0][0] == 0


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_a_rating_outside_one_to_five_is_refused(store: Store, rating: int) -> None:
    with pytest.raises(ValueError, match="1 to 5"):
        save_feedback(
            store,
            "bad",
            day=date(2026, 11, 22),
            channel="kiosk",
            language="en",
            rating=rating,
            found=None,
        )


def test_the_schema_itself_refuses_bad_rows(store: Store) -> None:
    with pytest.raises(sqlcipher3.IntegrityError), store.transaction() as conn:
        conn.execute(
            "INSERT INTO feedback (id, day, channel, language, rating) VALUES ('x', '2026-11-22', 'kiosk', 'en', 9)"
        )


def test_feedback_has_no_column_that_could_identify_a_person(store: Store) -> None:
    columns = {row[1] for row in store.query("PRAGMA table_info(feedback)")}
    assert columns == {"id", "day", "channel", "language", "rating", "found"}


def test_background_calls_can_share_the_store(store: Store) -> None:
    """Saves from several worker threads at once (an autosave overlapping a search) all land."""
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(25):
                save_feedback(
                    store,
                    f"t{n}-{i}",
                    day=date(2026, 11, 22),
                    channel="kiosk",
                    language="en",
                    rating=3,
                    found=None,
                )
                store.query("SELECT count(*) FROM feedback")
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert feedback_summary(store).answers == 100
