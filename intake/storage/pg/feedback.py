"""The de-identified answers on the shared store (schema version 3): the "was this useful?"
feedback and the matching survey, as the file keeps them (`intake.storage.feedback`,
`intake.storage.roster.save_survey`). Coded values dated to the day, nothing sealed: nothing in
them leads back to a person."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from intake.storage.pg.writing import Writing as PgWriter


class PgFeedback:
    """The feedback part of `PgStore` (a mixin: it uses the store's `writing` and `query`)."""

    writing: Callable[[], contextlib.AbstractContextManager[PgWriter]]  # PgStore's
    query: Callable[..., list[Any]]  # PgStore's

    def save_feedback_row(
        self,
        feedback_id: str,
        *,
        day: str,
        channel: str,
        language: str,
        rating: int | None,
        found: bool | None,
    ) -> str:
        with self.writing() as w:
            added = w.q(
                "INSERT INTO feedback (id, day, channel, language, rating, found) "
                "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
                (feedback_id, day, channel, language, rating, found),
            ).rowcount
        return "created" if added else "unchanged"

    def feedback_counts(self, channel: str | None) -> tuple[int, int, float | None, int, int]:
        row = self.query(
            "SELECT count(*), count(rating), avg(rating)::float, "
            "count(*) FILTER (WHERE found), count(*) FILTER (WHERE NOT found) "
            "FROM feedback WHERE %s::text IS NULL OR channel = %s",
            (channel, channel),
        )[0]
        return int(row[0]), int(row[1]), row[2], int(row[3]), int(row[4])

    def save_survey_row(
        self,
        answer_id: str,
        *,
        day: str,
        channel: str,
        language: str,
        helpful: int | None,
        recommend: bool | None,
    ) -> str:
        with self.writing() as w:
            added = w.q(
                "INSERT INTO survey (id, day, channel, language, helpful, recommend) "
                "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
                (answer_id, day, channel, language, helpful, recommend),
            ).rowcount
        return "created" if added else "unchanged"

    def survey_counts(self) -> tuple[int, float | None, int, int]:
        row = self.query(
            "SELECT count(*), avg(helpful)::float, count(*) FILTER (WHERE recommend), "
            "count(*) FILTER (WHERE NOT recommend) FROM survey"
        )[0]
        return int(row[0]), row[1], int(row[2]), int(row[3])
