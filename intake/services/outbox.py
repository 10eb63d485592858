"""Server down, nothing lost: saves a station could not deliver wait in a local outbox.

When the shared store's server cannot be reached, `save_or_queue` writes the call's frozen
snapshot to a folder on this computer instead, sealed with the line key (AES-256-GCM, bound to
the call's id) so the file holds no note, name or number in clear; `deliver` sends what waits
once the server answers again. One file per call, named by the call's id: saving the same call
again while the server is down replaces its file (the latest snapshot wins), and delivering is
`save_finished_call` (the call, then the match request the caller agreed to, which waits
with it), whose rows are keyed on ids derived from the call's id, so a file delivered twice (a
crash between the save and the file's removal) changes nothing: no duplicates. Files are written owner-only, flushed to disk, then renamed into place.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
from dataclasses import asdict
from pathlib import Path
from typing import Any, Literal

from intake.safety import RescueMissing, rescue_problems
from intake.services.calls import (
    CallSnapshot,
    FollowUpPlan,
    match_request_of,
    save_finished_call,
)
from intake.services.kiosk import CallbackRequest, save_kept_rating, save_kept_visit
from intake.services.matching import PeerAsk
from intake.services.waiting import Waiting
from intake.storage.errors import ConsentRefused, ServerUnreachable
from intake.storage.interface import RecordStore
from intake.storage.pg.crypto import LineKeys
from intake.storage.records import _DRAFT_TEXT_KEYS, _JSON_FIELDS, ContactRecord, HistoryFilter
from intake.storage.roster import RequestRecord

SUFFIX = ".call"
SET_ASIDE = "set-aside"
DRAFTS = "drafts"  # autosaved calls in progress, kept here while the server cannot be reached
DRAFT = ".draft"
DISCARDED = ".discarded"  # a draft discarded while the server could not be told
VISITS = "visits"  # kiosk visits (and their anonymous ratings) kept while the server is down
VISIT = ".visit"
RATING = ".rating"

log = logging.getLogger(__name__)


def _to_json(snap: CallSnapshot, actor: str | None) -> str:
    return json.dumps({"snapshot": asdict(snap), "actor": actor}, ensure_ascii=False)


def _from_json(text: str) -> tuple[CallSnapshot, str | None]:
    data = json.loads(text)
    snap: dict[str, Any] = data["snapshot"]
    record = dict(snap["record"])
    for name in _JSON_FIELDS:
        record[name] = tuple(record[name])
    plan = snap["followup"]
    # The match request the caller agreed to waits with the call (files kept before there
    # was one have no "peer").
    ask = snap.get("peer")
    peer = PeerAsk(**{**ask, "topics": tuple(ask["topics"])}) if ask is not None else None
    return (
        CallSnapshot(
            record=ContactRecord(**record),
            note=snap["note"],
            followup=FollowUpPlan(**plan) if plan is not None else None,
            draft_id=snap["draft_id"],
            peer=peer,
        ),
        data["actor"],
    )


class Outbox:
    """The folder of calls waiting for the server, sealed under the line's keys."""

    def __init__(self, folder: Path, keys: LineKeys) -> None:
        self.folder = folder
        self._keys = keys
        # One delivery at a time: the status poll and a save both deliver, on worker threads;
        # two at once would take each other's files (and an older snapshot could overwrite a
        # newer save). Re-entrant: a save delivers what waits first, under the same lock.
        self.lock = threading.RLock()

    def _path(self, contact_id: str) -> Path:
        return self.folder / f"{contact_id}{SUFFIX}"

    def put(self, snap: CallSnapshot, actor: str | None) -> None:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        sealed = self._keys.seal("outbox", "call", snap.contact_id, _to_json(snap, actor))
        assert sealed is not None
        target = self._path(snap.contact_id)
        temporary = target.with_suffix(".tmp")
        fd = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        try:
            os.write(fd, sealed)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, target)

    def pending(self) -> list[str]:
        """The ids of the calls waiting, oldest first (what the status line counts)."""
        if not self.folder.is_dir():
            return []
        files = []
        for path in self.folder.glob(f"*{SUFFIX}"):
            with contextlib.suppress(FileNotFoundError):  # delivered since it was listed
                files.append((path.stat().st_mtime, path.name))
        return [name.removesuffix(SUFFIX) for _mtime, name in sorted(files)]

    def waiting(self) -> int:
        """Everything kept here for the server: calls, kiosk visits and ratings."""
        return len(self.pending()) + len(self.pending_visits()) + len(self.pending_ratings())

    def what_waits(self) -> Waiting:
        """What is kept here for the server, by kind, with the peer-supporter requests that
        wait inside the calls' and visits' files (opened here, on this computer, to count
        them; a file that cannot be opened counts as its call or visit only)."""
        calls, visits = self.pending(), self.pending_visits()
        requests = 0
        for contact_id in calls:
            with contextlib.suppress(Exception):  # delivered since, or damaged
                requests += self.read(contact_id)[0].peer is not None
        for contact_id in visits:
            with contextlib.suppress(Exception):
                requests += self.read_visit(contact_id)[3] is not None
        return Waiting(len(calls), len(visits), requests, len(self.pending_ratings()))

    def read(self, contact_id: str) -> tuple[CallSnapshot, str | None]:
        text = self._keys.open("outbox", "call", contact_id, self._path(contact_id).read_bytes())
        assert text is not None
        return _from_json(text)

    def remove(self, contact_id: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._path(contact_id).unlink()

    def set_aside(self) -> list[str]:
        """The ids of what waited here and could not be delivered (a damaged file, or a call or
        kiosk visit the server refused), moved to the `set-aside` folder for a person to look
        at: calls, visits and ratings alike."""
        folder = self.folder / SET_ASIDE
        if not folder.is_dir():
            return []
        return sorted(
            p.name.removesuffix(suffix)
            for suffix in (SUFFIX, VISIT, RATING)
            for p in folder.glob(f"*{suffix}")
        )

    def set_aside_kinds(self) -> Waiting:
        """What was set aside, by kind (requests are not counted: a set-aside file may not
        open)."""
        folder = self.folder / SET_ASIDE
        if not folder.is_dir():
            return Waiting()
        calls, visits, ratings = (
            sum(1 for _p in folder.glob(f"*{suffix}")) for suffix in (SUFFIX, VISIT, RATING)
        )
        return Waiting(calls=calls, visits=visits, ratings=ratings)

    def _set_aside(self, contact_id: str, exc: BaseException) -> None:
        self._set_aside_file(self._path(contact_id), exc)

    def _set_aside_file(self, path: Path, exc: BaseException) -> None:
        folder = self.folder / SET_ASIDE
        folder.mkdir(exist_ok=True, mode=0o700)
        os.replace(path, folder / path.name)
        # The id is a random UUID and the reason a class name: no note, name or number.
        log.warning(
            "outbox: %s could not be delivered (%s); set aside in %s",
            path.name,
            type(exc).__name__,
            folder,
        )

    # drafts (calls in progress) kept here while the server cannot be reached

    def _draft_path(self, draft_id: str, suffix: str = DRAFT) -> Path:
        return self.folder / DRAFTS / f"{draft_id}{suffix}"

    def _write(self, path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = path.with_suffix(".tmp")
        fd = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)

    def put_draft(self, draft_id: str, account_id: str | None, payload: dict[str, Any]) -> None:
        """Keep the latest autosave of a call in progress (sealed, bound to its id); it
        replaces an earlier one and cancels a discard of the same draft."""
        text = json.dumps({"account": account_id, "payload": payload}, ensure_ascii=False)
        sealed = self._keys.seal("outbox", "draft", draft_id, text)
        assert sealed is not None
        self._write(self._draft_path(draft_id), sealed)
        with contextlib.suppress(FileNotFoundError):
            self._draft_path(draft_id, DISCARDED).unlink()

    def _draft_ids(self, suffix: str) -> list[str]:
        return self._ids_in(DRAFTS, suffix)

    def _read_draft(self, draft_id: str) -> tuple[str | None, dict[str, Any]]:
        sealed = self._draft_path(draft_id).read_bytes()
        text = self._keys.open("outbox", "draft", draft_id, sealed)
        assert text is not None
        data = json.loads(text)
        return data["account"], data["payload"]

    def local_drafts(self, account_id: str | None) -> list[tuple[str, dict[str, Any]]]:
        """This account's drafts kept here, the most recent first (a damaged file is left
        for `deliver` to set aside)."""
        found = []
        for draft_id in self._draft_ids(DRAFT):
            with contextlib.suppress(Exception):
                owner, payload = self._read_draft(draft_id)
                if owner == account_id:
                    found.append((draft_id, payload))
        return found

    def remove_local_draft(self, draft_id: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._draft_path(draft_id).unlink()

    def discard_later(self, draft_id: str) -> None:
        """The server could not be told to forget this draft: remember to, when it answers."""
        self.remove_local_draft(draft_id)
        self._write(self._draft_path(draft_id, DISCARDED), b"")

    def discarded(self) -> set[str]:
        return set(self._draft_ids(DISCARDED))

    def _deliver_drafts(self, store: RecordStore) -> None:
        if (
            getattr(store, "row_security", False)
            and getattr(store, "session_account", None) is None
        ):
            return  # the station's own login acts for no one: nothing of anyone's goes up now
        for draft_id in self._draft_ids(DISCARDED):
            store.delete_draft(draft_id)
            with contextlib.suppress(FileNotFoundError):
                self._draft_path(draft_id, DISCARDED).unlink()
        for draft_id in reversed(self._draft_ids(DRAFT)):  # oldest first
            try:
                owner, payload = self._read_draft(draft_id)
                if _waits_for_its_author(store, owner):
                    continue
                if not _call_saved(store, draft_id):  # a finished call has no draft any more
                    store.save_draft(draft_id, owner, payload)
            except FileNotFoundError:
                continue
            except ServerUnreachable:
                raise
            except Exception as exc:  # damaged on disk, or refused: no later try would do
                self._set_aside_file(self._draft_path(draft_id), exc)
                continue
            self.remove_local_draft(draft_id)

    # kiosk visits kept here while the server cannot be reached (intake.services.kiosk)

    def _visit_path(self, item_id: str, suffix: str) -> Path:
        return self.folder / VISITS / f"{item_id}{suffix}"

    def put_visit(
        self,
        record: ContactRecord,
        callback: CallbackRequest | None,
        actor: str | None,
        request: RequestRecord | None = None,
    ) -> None:
        """Keep a kiosk visit (its coded record and, with consent, its callback request and
        its request for a peer supporter), sealed and bound to the visit's id; a later save
        of the same visit replaces it (the kiosk passes the request with every save once the
        visitor confirmed it, so a later save never drops it)."""
        text = json.dumps(
            {
                "record": asdict(record),
                "callback": asdict(callback) if callback is not None else None,
                "request": asdict(request) if request is not None else None,
                "actor": actor,
            },
            ensure_ascii=False,
        )
        sealed = self._keys.seal("outbox", "visit", record.id, text)
        assert sealed is not None
        self._write(self._visit_path(record.id, VISIT), sealed)

    def put_rating(self, rating_id: str, answer: dict[str, Any], actor: str | None) -> None:
        """Keep a kiosk visitor's anonymous rating (coded values, sealed all the same)."""
        text = json.dumps({"answer": answer, "actor": actor}, ensure_ascii=False)
        sealed = self._keys.seal("outbox", "rating", rating_id, text)
        assert sealed is not None
        self._write(self._visit_path(rating_id, RATING), sealed)

    def remove_visit(self, contact_id: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._visit_path(contact_id, VISIT).unlink()

    def pending_visits(self) -> list[str]:
        """The ids of the kiosk visits waiting, oldest first."""
        return list(reversed(self._ids_in(VISITS, VISIT)))

    def pending_ratings(self) -> list[str]:
        return list(reversed(self._ids_in(VISITS, RATING)))

    def _ids_in(self, sub: str, suffix: str) -> list[str]:
        folder = self.folder / sub
        if not folder.is_dir():
            return []
        found = []
        for path in folder.glob(f"*{suffix}"):
            with contextlib.suppress(FileNotFoundError):
                found.append((path.stat().st_mtime, path.name.removesuffix(suffix)))
        return [item_id for _mtime, item_id in sorted(found, reverse=True)]

    def read_visit(
        self, contact_id: str
    ) -> tuple[ContactRecord, CallbackRequest | None, str | None, RequestRecord | None]:
        sealed = self._visit_path(contact_id, VISIT).read_bytes()
        text = self._keys.open("outbox", "visit", contact_id, sealed)
        assert text is not None
        data = json.loads(text)
        record = dict(data["record"])
        for name in _JSON_FIELDS:
            record[name] = tuple(record[name])
        callback = data["callback"]
        # The peer-supporter request that waits with its visit (files kept before there was
        # one have no "request").
        asked = data.get("request")
        request = (
            RequestRecord(**{**asked, "topics": tuple(asked["topics"])})
            if asked is not None
            else None
        )
        return (
            ContactRecord(**record),
            CallbackRequest(**callback) if callback is not None else None,
            data["actor"],
            request,
        )

    def _read_rating(self, rating_id: str) -> tuple[dict[str, Any], str | None]:
        sealed = self._visit_path(rating_id, RATING).read_bytes()
        text = self._keys.open("outbox", "rating", rating_id, sealed)
        assert text is not None
        data = json.loads(text)
        return data["answer"], data["actor"]

    def _deliver_visits(self, store: RecordStore) -> int:
        """Send the kiosk visits kept here, oldest first, each with its peer-supporter request
        if it has one, then the ratings. Idempotent: a visit's rows and its request are keyed
        on ids the kiosk session chose, a rating on its own id, so one sent twice (a crash
        between the save and the file's removal, or a lost reply) changes nothing. A visit
        the server refuses is set aside whole, its request with it."""
        delivered = 0
        for suffix in (VISIT, RATING):
            for item_id in list(reversed(self._ids_in(VISITS, suffix))):
                path = self._visit_path(item_id, suffix)
                try:
                    if suffix == VISIT:
                        record, callback, actor, request = self.read_visit(item_id)
                    else:
                        answer, actor = self._read_rating(item_id)
                except FileNotFoundError:
                    continue
                except Exception as exc:  # damaged on disk: no later try can open it
                    self._set_aside_file(path, exc)
                    continue
                if _waits_for_its_author(store, actor):
                    continue
                try:
                    if suffix == VISIT:
                        # The visit, then its request (never the request without it).
                        save_kept_visit(store, record, callback, actor, request)
                    else:
                        save_kept_rating(store, item_id, answer)
                except ServerUnreachable:
                    raise
                except Exception as exc:  # refused: one bad file must not hold back the rest
                    self._set_aside_file(path, exc)
                    continue
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                delivered += suffix == VISIT
        return delivered

    def deliver(self, store: RecordStore) -> int:
        """Send every waiting call, oldest first; the number delivered. Stops (raising
        ServerUnreachable) when the server cannot be reached; the rest keep waiting. A file
        that cannot be delivered for any other reason (damaged on disk, refused by the
        server) is set aside (`set_aside`) and the calls behind it are still delivered.
        Then the drafts kept here go up (and the discards the server missed), then the kiosk
        visits and ratings kept here (not counted in the number returned)."""
        with self.lock:
            delivered = self._deliver(store)
            self._deliver_drafts(store)
            self._deliver_visits(store)
            return delivered

    def _deliver(self, store: RecordStore) -> int:
        delivered = 0
        for contact_id in self.pending():
            try:
                snap, actor = self.read(contact_id)
            except FileNotFoundError:
                continue  # replaced or removed since it was listed: nothing to send
            except Exception as exc:  # damaged on disk: no later try can open it
                self._set_aside(contact_id, exc)
                continue
            if _waits_for_its_author(store, actor):
                continue
            try:
                save_finished_call(store, snap, actor, kept=True)
            except ServerUnreachable:
                raise
            except Exception as exc:  # one bad file must not hold back the rest
                self._set_aside(contact_id, exc)
                continue
            self.remove(contact_id)
            delivered += 1
        return delivered


def _waits_for_its_author(store: RecordStore, author: str | None) -> bool:
    """Under row-level security the server takes a call or a draft only from its author's own
    login (`intake.storage.pg.person`): another person's, or the station's own login acting for
    no one, leaves it waiting here for its author's next sign-in, never set aside."""
    if not getattr(store, "row_security", False):
        return False
    acting = getattr(store, "session_account", None)
    return acting is None or acting != author


def save_or_queue(
    store: RecordStore, outbox: Outbox, snap: CallSnapshot, actor: str | None
) -> Literal["saved", "queued"]:
    """Save the call on the server, or keep it in the outbox when the server cannot be reached.

    Calls already waiting are delivered first, so the server receives them in order; a call
    waiting in the outbox is replaced by this newer snapshot of it."""
    # The last guard first, as `save_call` has it: a call it would refuse is never queued
    # (delivered later it would be set aside, and its draft would be gone).
    record = snap.record
    if problems := rescue_problems(record.risk, record.crisis_actions, record.outcome):
        raise RescueMissing(problems)
    match_request_of(snap)  # likewise a match request it would refuse (no site, no province)
    with outbox.lock:
        try:
            outbox.deliver(store)
            save_finished_call(store, snap, actor)
        except ServerUnreachable:
            outbox.put(snap, actor)
            outcome: Literal["saved", "queued"] = "queued"
        else:
            outbox.remove(snap.contact_id)  # an older snapshot of this call, if one waited
            outcome = "saved"
        # Saved or queued, the call now holds all its draft held: a draft kept here must not
        # outlive it. (A call refused at saving keeps it: it is all there is of the call.)
        outbox.remove_local_draft(snap.draft_id)
        return outcome


def _call_saved(store: RecordStore, contact_id: str) -> bool:
    """Whether the call of this id is on the server (read as History reads, not audited)."""
    page = store.history_page(limit=1, filters=HistoryFilter(contact_ids=(contact_id,)))
    return bool(page.rows)


class OutboxDrafts:
    """The drafts of a station on the shared store, with the outbox to fall back on: an
    autosave the server cannot take now is kept here (sealed) and sent when it answers; the
    list to resume from merges both, the copy kept here winning (it is the newer)."""

    def __init__(self, store: RecordStore, outbox: Outbox) -> None:
        self._store = store
        self._outbox = outbox

    def save_draft(
        self, draft_id: str, account_id: str | None, payload: dict[str, Any]
    ) -> Literal["saved", "kept-here"]:
        if not payload.get("consent_notes") and any(payload.get(k) for k in _DRAFT_TEXT_KEYS):
            raise ConsentRefused()  # refused here as by the store: nothing kept anywhere
        with self._outbox.lock:
            try:
                self._store.save_draft(draft_id, account_id, payload)
            except ServerUnreachable:
                self._outbox.put_draft(draft_id, account_id, payload)
                return "kept-here"
            self._outbox.remove_local_draft(draft_id)
            return "saved"

    def drafts(self, account_id: str | None) -> list[tuple[str, dict[str, Any]]]:
        # A call waiting in the outbox is finished: neither the server's older autosave nor one
        # that landed here after the save may be offered (resuming it would save older text
        # over the finished call once both are delivered).
        queued = set(self._outbox.pending())
        local = [(d, p) for d, p in self._outbox.local_drafts(account_id) if d not in queued]
        try:
            remote = self._store.drafts(account_id)
        except ServerUnreachable:
            remote = []  # the server's own cannot be listed until it answers
        mine = {draft_id for draft_id, _payload in local} | self._outbox.discarded() | queued
        return local + [(d, p) for d, p in remote if d not in mine]

    def delete_draft(self, draft_id: str) -> None:
        with self._outbox.lock:
            self._outbox.remove_local_draft(draft_id)
            try:
                self._store.delete_draft(draft_id)
            except ServerUnreachable:
                self._outbox.discard_later(draft_id)
