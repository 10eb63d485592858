"""Saving a kiosk visit: the coded record and, with the person's consent, their callback
request, written together in one transaction (idempotent: the ids come from the session)."""

from __future__ import annotations

from dataclasses import dataclass

from intake.storage.db import Store
from intake.storage.records import ContactRecord, put_callback, write_contact


@dataclass(frozen=True)
class CallbackRequest:
    id: str
    number: str  # E.164
    best_time: str  # a time-of-day code the person chose
    time_zone: str


def save_visit(
    store: Store, record: ContactRecord, callback: CallbackRequest | None, actor: str | None
) -> None:
    with store.transaction() as conn:
        write_contact(conn, record, actor)
        if callback is not None:
            put_callback(
                conn,
                callback.id,
                record.id,
                number=callback.number,
                best_time=callback.best_time,
                time_zone=callback.time_zone,
                actor=actor,
            )
