"""Server down, nothing lost: saves a station could not deliver wait in a local outbox.

When the shared store's server cannot be reached, `save_or_queue` writes the call's frozen
snapshot to a folder on this computer instead, sealed with the line key (AES-256-GCM, bound to
the call's id) so the file holds no note, name or number in clear; `deliver` sends what waits
once the server answers again. One file per call, named by the call's id: saving the same call
again while the server is down replaces its file (the latest snapshot wins), and delivering is
`save_call`, whose rows are upserts keyed on ids derived from the call's id, so a file
delivered twice (a crash between the save and the file's removal) changes nothing: no
duplicates. Files are written owner-only, flushed to disk, then renamed into place.
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

from intake.services.calls import CallSnapshot, FollowUpPlan, save_call
from intake.storage.errors import ServerUnreachable
from intake.storage.interface import RecordStore
from intake.storage.pg.crypto import LineKeys
from intake.storage.records import _JSON_FIELDS, ContactRecord

SUFFIX = ".call"
SET_ASIDE = "set-aside"

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
    return (
        CallSnapshot(
            record=ContactRecord(**record),
            note=snap["note"],
            followup=FollowUpPlan(**plan) if plan is not None else None,
            draft_id=snap["draft_id"],
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

    def read(self, contact_id: str) -> tuple[CallSnapshot, str | None]:
        text = self._keys.open("outbox", "call", contact_id, self._path(contact_id).read_bytes())
        assert text is not None
        return _from_json(text)

    def remove(self, contact_id: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._path(contact_id).unlink()

    def set_aside(self) -> list[str]:
        """The ids of waiting calls that could not be delivered (a damaged file, or a call the
        server refused) and were moved to the `set-aside` folder, kept for a person to look at."""
        folder = self.folder / SET_ASIDE
        if not folder.is_dir():
            return []
        return sorted(p.name.removesuffix(SUFFIX) for p in folder.glob(f"*{SUFFIX}"))

    def _set_aside(self, contact_id: str, exc: BaseException) -> None:
        folder = self.folder / SET_ASIDE
        folder.mkdir(exist_ok=True, mode=0o700)
        os.replace(self._path(contact_id), folder / f"{contact_id}{SUFFIX}")
        # The id is a random UUID and the reason a class name: no note, name or number.
        log.warning(
            "outbox: call %s could not be delivered (%s); set aside in %s",
            contact_id,
            type(exc).__name__,
            folder,
        )

    def deliver(self, store: RecordStore) -> int:
        """Send every waiting call, oldest first; the number delivered. Stops (raising
        ServerUnreachable) when the server cannot be reached; the rest keep waiting. A file
        that cannot be delivered for any other reason (damaged on disk, refused by the
        server) is set aside (`set_aside`) and the calls behind it are still delivered."""
        with self.lock:
            return self._deliver(store)

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
            try:
                save_call(store, snap, actor)
            except ServerUnreachable:
                raise
            except Exception as exc:  # one bad file must not hold back the rest
                self._set_aside(contact_id, exc)
                continue
            self.remove(contact_id)
            delivered += 1
        return delivered


def save_or_queue(
    store: RecordStore, outbox: Outbox, snap: CallSnapshot, actor: str | None
) -> Literal["saved", "queued"]:
    """Save the call on the server, or keep it in the outbox when the server cannot be reached.

    Calls already waiting are delivered first, so the server receives them in order; a call
    waiting in the outbox is replaced by this newer snapshot of it."""
    with outbox.lock:
        try:
            outbox.deliver(store)
            save_call(store, snap, actor)
        except ServerUnreachable:
            outbox.put(snap, actor)
            return "queued"
        outbox.remove(snap.contact_id)  # an older snapshot of this call, if one waited
        return "saved"
