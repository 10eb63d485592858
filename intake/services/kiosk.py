"""Saving a kiosk visit: the coded record and, with the person's consent, their callback
request, written together in one transaction (idempotent: the ids come from the session), on
either store: the station's SQLCipher file or the line's shared server (`writing`).

On the shared server the kiosk keeps a visit it cannot save in the station's local outbox
(`intake.services.outbox`), sealed, one file per visit (the latest save of the visit replaces
it), and the anonymous rating likewise; the outbox's delivery sends them, with the calls, when
the server answers again (`save_kept_visit`, `save_kept_rating`: idempotent). A visitor's
request for a trained peer supporter waits in its visit's file and goes up with it, after it
(never without it), once: its id is the session's, and the server adds a request of an id it
already has nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol

from intake.services.matching import PeerAsk, add_request, peer_request
from intake.storage.db import Store
from intake.storage.errors import ConsentRefused, ServerUnreachable
from intake.storage.feedback import save_feedback
from intake.storage.interface import RecordStore, writing
from intake.storage.local import LocalRecords
from intake.storage.records import ContactRecord
from intake.storage.roster import RequestRecord

if TYPE_CHECKING:
    from contextlib import AbstractContextManager


class Outbox(Protocol):
    """What the kiosk asks of the station's outbox (`intake.services.outbox.Outbox`, which
    imports this module to deliver what it kept: named here, not imported, so that the two
    do not import each other)."""

    @property
    def lock(self) -> AbstractContextManager[Any]: ...

    def deliver(self, store: RecordStore) -> int: ...

    def put_visit(
        self,
        record: ContactRecord,
        callback: CallbackRequest | None,
        actor: str | None,
        request: RequestRecord | None = None,
    ) -> None: ...

    def remove_visit(self, contact_id: str) -> None: ...

    def put_rating(self, rating_id: str, answer: dict[str, Any], actor: str | None) -> None: ...


__all__ = ["CallbackRequest", "ContactRecord", "KioskDesk", "PeerRequestNotSaved", "save_visit"]

Kept = Literal["saved", "kept-here"]


class PeerRequestNotSaved(Exception):
    """The visit was kept (`kept`: saved, or kept here) but the server refused its request for
    a peer supporter (`cause`): the kiosk tells the visitor that only the request failed."""

    def __init__(self, kept: Kept, cause: Exception) -> None:
        super().__init__(type(cause).__name__)
        self.kept: Kept = kept
        self.cause = cause


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
    *,
    kept: bool = False,
) -> None:
    """One transaction: the visit and its callback request land together or not at all (a
    server that cannot be reached raises a StoreError and nothing is written).

    `kept`: a visit the outbox kept, being delivered. A callback the team has closed since is
    left closed: this visit was delivered before (the reply was lost, or the file's removal
    never happened) and someone has called the person back; writing it again would reopen it
    and put back the forgotten number, and the person would be called twice. An open one takes
    what the visitor confirmed last."""
    with writing(store) as w:
        w.write_contact(record, actor)
        if callback is not None and not (
            kept and w.callback_status(callback.id) not in (None, "open")
        ):
            w.put_callback(
                callback.id,
                record.id,
                number=callback.number,
                best_time=callback.best_time,
                time_zone=callback.time_zone,
                messages_ok=callback.messages_ok,
                actor=actor,
            )


def save_kept_visit(
    store: RecordStore,
    record: ContactRecord,
    callback: CallbackRequest | None,
    actor: str | None,
    request: RequestRecord | None = None,
) -> None:
    """Deliver a visit the outbox kept (`save_visit`, never reopening a closed callback), then
    the peer-supporter request that waited with it (added once: a request the server has
    already, delivered before a lost reply, is left as the coordinator has it)."""
    save_visit(store, record, callback, actor, kept=True)
    if request is not None:
        add_request(store, request, actor)


def save_kept_rating(store: RecordStore, rating_id: str, answer: dict[str, Any]) -> None:
    """Deliver a rating the outbox kept (`save_feedback` is keyed on its id: idempotent)."""
    save_feedback(
        store,
        rating_id,
        day=date.fromisoformat(answer["day"]),
        channel="kiosk",
        language=answer["language"],
        rating=answer["rating"],
        found=answer["found"],
    )


def _release_memory(store: Store | RecordStore) -> None:
    """The file's decrypted page cache dropped after a kiosk write (`Store.release_memory`); the
    shared server's station keeps no pages (the server keeps only ciphertext of what is sealed)."""
    file = store.store if isinstance(store, LocalRecords) else store
    if isinstance(file, Store):
        file.release_memory()


class KioskDesk:
    """What a kiosk session writes, for the account that started kiosk mode; on the shared
    server, with the station's outbox to keep what the server cannot take now."""

    def __init__(
        self,
        store: Store | RecordStore,
        account_id: str | None,
        outbox: Outbox | None = None,
    ) -> None:
        self._store = store
        self._account_id = account_id
        self._outbox = outbox

    def peer_request(
        self, request_id: str, ask: PeerAsk, record: ContactRecord, when: datetime
    ) -> RequestRecord:
        """The request for a trained peer supporter the visitor confirmed, pointing at the
        visit, checked before anything is saved or kept: refused without their consent
        (NoConsent), a site or a province; anonymous unless they gave a way to reach them."""
        return peer_request(
            request_id,
            "kiosk",
            ask,
            province=record.province,
            role=record.role,
            contact_id=record.id,
            when=when,
        )

    def save_visit(
        self,
        record: ContactRecord,
        callback: CallbackRequest | None,
        request: RequestRecord | None = None,
    ) -> Kept:
        """The visit's record and, with consent, its callback request (one transaction), then
        its request for a peer supporter if the visitor confirmed one (`peer_request`; added
        once however often the visit is saved). "kept-here" when the server could not be
        reached: the visit waits, sealed, in the outbox, its request with it (what waited
        there is sent first, so the server gets the visits in order). A request the store
        refuses after the visit was kept raises PeerRequestNotSaved."""
        outbox = self._outbox
        if outbox is None:
            save_visit(self._store, record, callback, self._account_id)
            refused = self._add_request(request)
            _release_memory(self._store)  # a visit leaves nothing behind, not even cached pages
            if refused is not None:
                raise PeerRequestNotSaved("saved", refused)
            return "saved"
        if not record.consent_notes and (callback is not None or record.callback_number):
            raise ConsentRefused()  # as the stores refuse it: never kept to be refused later
        store = self._store
        assert not isinstance(store, Store)
        with outbox.lock:
            try:
                outbox.deliver(store)
                save_visit(store, record, callback, self._account_id)
                refused = self._add_request(request)
            except ServerUnreachable:
                # The request too, even if only it failed: delivered again, the visit's rows
                # change nothing and the request is added once.
                outbox.put_visit(record, callback, self._account_id, request)
                return "kept-here"
            outbox.remove_visit(record.id)  # an older save of this visit, if one waited
        if refused is not None:
            raise PeerRequestNotSaved("saved", refused)
        return "saved"

    def _add_request(self, request: RequestRecord | None) -> Exception | None:
        """Add the visit's peer-supporter request; the store's refusal returned, not raised
        (the visit is saved already); a server gone away raised (ServerUnreachable)."""
        if request is None:
            return None
        try:
            add_request(self._store, request, self._account_id)
        except ServerUnreachable:
            raise
        except Exception as exc:  # refused (a rule of the store): the visit stays saved
            return exc
        return None

    def save_feedback(
        self, feedback_id: str, *, day: date, language: str, rating: int | None, found: bool | None
    ) -> str:
        """The anonymous rating at the end of a visit ("empty" when nothing was given;
        "kept-here" when the server could not be reached and it waits in the outbox)."""
        outbox = self._outbox
        if outbox is not None and (rating is not None or found is not None):
            store = self._store
            assert not isinstance(store, Store)
            try:
                return save_feedback(
                    store,
                    feedback_id,
                    day=day,
                    channel="kiosk",
                    language=language,
                    rating=rating,
                    found=found,
                )
            except ServerUnreachable:
                answer = {
                    "day": day.isoformat(),
                    "language": language,
                    "rating": rating,
                    "found": found,
                }
                outbox.put_rating(feedback_id, answer, self._account_id)
                return "kept-here"
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
