"""De-identified feedback: an optional 1-5 rating and "did you find what you needed?".

No contact id, no time of day, no account: only the day, the channel and the language, so the
program can report uptake and satisfaction without any way back to a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from intake.storage.db import Store


@dataclass(frozen=True)
class FeedbackSummary:
    answers: int
    ratings: int
    average_rating: float | None
    found_yes: int
    found_no: int


def save_feedback(
    store: Store,
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
    with store.transaction() as conn:
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


def feedback_summary(store: Store, channel: str | None = None) -> FeedbackSummary:
    row = store.query(
        "SELECT count(*), count(rating), avg(rating), "
        "coalesce(sum(found = 1), 0), coalesce(sum(found = 0), 0) "
        "FROM feedback WHERE ?1 IS NULL OR channel = ?1",
        (channel,),
    )[0]
    return FeedbackSummary(row[0], row[1], row[2], row[3], row[4])
