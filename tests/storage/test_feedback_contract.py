"""The de-identified answers (the "was this useful?" feedback and the matching survey), the same
tests against both stores (`any_store`): stored, summarised, a retried save counted once, a value
outside its range refused, and nothing that leads back to a person on the server."""

from __future__ import annotations

from datetime import date

import psycopg
import pytest
import sqlcipher3

from intake.storage.feedback import (
    feedback_summary,
    save_feedback,
    save_survey,
    survey_summary,
)
from intake.storage.interface import RecordStore

DAY = date(2026, 11, 22)


def test_feedback_is_stored_summarised_and_counted_once(any_store: RecordStore) -> None:
    answers = [
        ("f1", "kiosk", "fr", 5, True),
        ("f2", "kiosk", "en", 2, None),
        ("f3", "phone", "en", None, False),
    ]
    for ident, channel, language, rating, found in answers:
        assert (
            save_feedback(
                any_store,
                ident,
                day=DAY,
                channel=channel,
                language=language,
                rating=rating,
                found=found,
            )
            == "created"
        )
    assert (
        save_feedback(
            any_store, "f1", day=DAY, channel="kiosk", language="fr", rating=5, found=True
        )
        == "unchanged"  # a retry after a lost answer
    )
    assert (
        save_feedback(
            any_store, "f4", day=DAY, channel="kiosk", language="fr", rating=None, found=None
        )
        == "empty"
    )
    kiosk = feedback_summary(any_store, "kiosk")
    assert (kiosk.answers, kiosk.ratings, kiosk.found_yes, kiosk.found_no) == (2, 2, 1, 0)
    assert kiosk.average_rating == pytest.approx(3.5)
    everything = feedback_summary(any_store)
    assert (everything.answers, everything.found_yes, everything.found_no) == (3, 1, 1)
    with pytest.raises(ValueError, match="1 to 5"):
        save_feedback(
            any_store, "f5", day=DAY, channel="kiosk", language="fr", rating=6, found=None
        )
    assert feedback_summary(any_store).answers == 3


def test_survey_answers_are_stored_summarised_and_counted_once(any_store: RecordStore) -> None:
    assert survey_summary(any_store).answers == 0
    for ident, channel, helpful, recommend in (
        ("s1", "closure", 4, True),
        ("s2", "kiosk", 2, False),
        ("s3", "closure", None, True),
    ):
        assert (
            save_survey(
                any_store,
                ident,
                day=DAY,
                channel=channel,
                language="fr",
                helpful=helpful,
                recommend=recommend,
            )
            == "created"
        )
    assert (
        save_survey(
            any_store, "s1", day=DAY, channel="closure", language="fr", helpful=4, recommend=True
        )
        == "unchanged"
    )
    assert (
        save_survey(
            any_store, "s4", day=DAY, channel="kiosk", language="en", helpful=None, recommend=None
        )
        == "empty"
    )
    with pytest.raises(ValueError, match="1 to 5"):
        save_survey(
            any_store, "s5", day=DAY, channel="kiosk", language="en", helpful=0, recommend=None
        )
    summary = survey_summary(any_store)
    assert (summary.answers, summary.recommend_yes, summary.recommend_no) == (3, 2, 1)
    assert summary.average_helpful == pytest.approx(3.0)


def test_the_store_refuses_a_channel_outside_the_list(any_store: RecordStore) -> None:
    """The store's own check, not only the code's: a channel no answer can come from."""
    with pytest.raises((psycopg.errors.CheckViolation, sqlcipher3.IntegrityError)):
        save_feedback(any_store, "x", day=DAY, channel="email", language="fr", rating=3, found=None)
    assert feedback_summary(any_store).answers == 0
