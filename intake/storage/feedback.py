"""De-identified feedback: an optional 1-5 rating and "did you find what you needed?".

No contact id, no time of day, no account: only the day, the channel and the language, so the
program can report uptake and satisfaction without any way back to a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, cast

from intake.storage.db import Store
from intake.storage.local import LocalRecords

if TYPE_CHECKING:
    from intake.storage.interface import RecordStore
    from intake.storage.pg.feedback import PgFeedback


def _on_server(store: Store | RecordStore) -> PgFeedback | None:
    """The shared store's feedback part, or None for the file (as `Store` or `LocalRecords`)."""
    if isinstance(store, (Store, LocalRecords)):
        return None
    return cast("PgFeedback", store)


def _file(store: Store | RecordStore) -> Store:
    return store.store if isinstance(store, LocalRecords) else cast(Store, store)


@dataclass(frozen=True)
class FeedbackSummary:
    answers: int
    ratings: int
    average_rating: float | None
    found_yes: int
    found_no: int


def save_feedback(
    store: Store | RecordStore,
    feedback_id: str,
    *,
    day: date,
    channel: str,
    language: str,
    rating: int | None,
    found: bool | None,
) -> str:
    """Store one answer; "created", "unchanged" for a retried save, "empty" if nothing given."""
    if rating is None and found is None:
        return "empty"
    if rating is not None and not 1 <= rating <= 5:
        raise ValueError(f"a rating is 1 to 5, not {rating}")
    if (server := _on_server(store)) is not None:
        return server.save_feedback_row(
            feedback_id,
            day=day.isoformat(),
            channel=channel,
            language=language,
            rating=rating,
            found=found,
        )
    with _file(store).transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO feedback (id, day, channel, language, rating, found) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            (
                feedback_id,
                day.isoformat(),
                channel,
                language,
                rating,
                None if found is None else int(found),
            ),
        )
    return "created" if cursor.rowcount else "unchanged"


def feedback_summary(store: Store | RecordStore, channel: str | None = None) -> FeedbackSummary:
    if (server := _on_server(store)) is not None:
        return FeedbackSummary(*server.feedback_counts(channel))
    row = _file(store).query(
        "SELECT count(*), count(rating), avg(rating), "
        "coalesce(sum(found = 1), 0), coalesce(sum(found = 0), 0) "
        "FROM feedback WHERE ?1 IS NULL OR channel = ?1",
        (channel,),
    )[0]
    return FeedbackSummary(row[0], row[1], row[2], row[3], row[4])


@dataclass(frozen=True)
class SurveySummary:
    answers: int
    average_helpful: float | None
    recommend_yes: int
    recommend_no: int


def save_survey(
    store: Store | RecordStore,
    answer_id: str,
    *,
    day: date,
    channel: str,
    language: str,
    helpful: int | None,
    recommend: bool | None,
) -> str:
    """One anonymous survey answer on either store (the file's is `roster.save_survey`)."""
    server = _on_server(store)
    if server is None:
        from intake.storage.roster import save_survey as save_in_file  # noqa: PLC0415

        return save_in_file(
            _file(store),
            answer_id,
            day=day,
            channel=channel,
            language=language,
            helpful=helpful,
            recommend=recommend,
        )
    if helpful is None and recommend is None:
        return "empty"
    if helpful is not None and not 1 <= helpful <= 5:
        raise ValueError(f"helpful is 1 to 5, not {helpful}")
    return server.save_survey_row(
        answer_id,
        day=day.isoformat(),
        channel=channel,
        language=language,
        helpful=helpful,
        recommend=recommend,
    )


def survey_summary(store: Store | RecordStore) -> SurveySummary:
    if (server := _on_server(store)) is not None:
        return SurveySummary(*server.survey_counts())
    row = _file(store).query(
        "SELECT count(*), avg(helpful), coalesce(sum(recommend = 1), 0), "
        "coalesce(sum(recommend = 0), 0) FROM survey"
    )[0]
    return SurveySummary(int(row[0]), row[1], int(row[2]), int(row[3]))
