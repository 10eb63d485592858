"""Saving a kiosk visit: the coded record and, with the person's consent, their callback
request, written together in one transaction (idempotent: the ids come from the session), on
either store: the station's SQLCipher file or the line's shared server (`writing`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from intake.services.matching import PeerAsk, request_peer
from intake.storage.db import Store
from intake.storage.feedback import save_feedback
from intake.storage.interface import RecordStore, writing
from intake.storage.local import LocalRecords
from intake.storage.records import ContactRecord

__all__ = ["CallbackRequest", "ContactRecord", "KioskDesk", "save_visit"]


@dataclass(frozen=True)
class CallbackRequest:
    id: str
    number: str  # E.164
    best_time: str  # a time-of-day code the person chose
    time_zone: str
    messages_ok: bool = False  # the person agreed to a message being left


def save_visit(
    store: Store | RecordStore,
    record: ContactRecord,
    callback: CallbackRequest | None,
    actor: str | None,
) -> None:
    """One transaction: the visit and its callback request land together or not at all (a
    server that cannot be reached raises a StoreError and nothing is written)."""
    with writing(store) as w:
        w.write_contact(record, actor)
        if callback is not None:
            w.put_callback(
                callback.id,
                record.id,
                number=callback.number,
                best_time=callback.best_time,
                time_zone=callback.time_zone,
                messages_ok=callback.messages_ok,
                actor=actor,
            )


def _release_memory(store: Store | RecordStore) -> None:
    """The file's decrypted page cache dropped after a kiosk write (`Store.release_memory`); the
    shared server's station keeps no pages (the server keeps only ciphertext of what is sealed)."""
    file = store.store if isinstance(store, LocalRecords) else store
    if isinstance(file, Store):
        file.release_memory()


class KioskDesk:
    """What a kiosk session writes, for the account that started kiosk mode."""

    def __init__(self, store: Store | RecordStore, account_id: str | None) -> None:
        self._store = store
        self._account_id = account_id

    def save_visit(self, record: ContactRecord, callback: CallbackRequest | None) -> None:
        """The visit's record and, with consent, its callback request: one transaction."""
        save_visit(self._store, record, callback, self._account_id)
        _release_memory(self._store)  # a visit leaves nothing behind, not even cached pages

    def request_peer(
        self, request_id: str, ask: PeerAsk, record: ContactRecord, when: datetime
    ) -> str:
        """A request for a trained peer supporter, with the visitor's consent (refused without
        it), pointing at the visit; anonymous unless they gave a way to reach them."""
        request = request_peer(
            self._store,
            request_id,
            "kiosk",
            ask,
            province=record.province,
            role=record.role,
            contact_id=record.id,
            actor=self._account_id,
            when=when,
        )
        _release_memory(self._store)
        return request

    def save_feedback(
        self, feedback_id: str, *, day: date, language: str, rating: int | None, found: bool | None
    ) -> str:
        """The anonymous rating at the end of a visit ("empty" when nothing was given)."""
        saved = save_feedback(
            self._store,
            feedback_id,
            day=day,
            channel="kiosk",
            language=language,
            rating=rating,
            found=found,
        )
        _release_memory(self._store)
        return saved
