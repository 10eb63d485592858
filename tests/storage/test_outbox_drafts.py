# One store only (the shared server): drafts in the station's outbox while the server is down.
"""Drafts during an outage: the autosave of a call in progress does not need the server. While it
cannot be reached the draft is kept, sealed, in the local outbox; it is listed (to resume) from
there, and delivered when the server answers: nothing lost, no duplicate draft, and no draft
coming back for a call that was finished meanwhile. The real throwaway server, stopped and
started."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from intake.call import Call
from intake.safety import RescueMissing
from intake.services.calls import snapshot
from intake.services.drafts import Drafts, draft_of
from intake.services.outbox import Outbox, OutboxDrafts, save_or_queue
from intake.storage.errors import ConsentRefused
from intake.storage.pg.store import PgStore
from tests.pg_server import PgServer, throwaway_server
from tests.storage.conftest import make_shared_store

NAME = "Dr Brouillon Horsligne"
NOTE = "Brouillon pendant la panne : épuisement après trois gardes"


def a_call(note: str = NOTE) -> Call:
    return Call(
        contact_id=str(uuid.uuid4()),
        started_at="2026-11-22T08:00:00+00:00",
        consent_notes=True,
        anonymous=False,
        caller_name=NAME,
        role="physician",
        province="ON",
        risk="concern",
        topics=["burnout"],
        need="peer",
        notes=note,
        outcome="referred",
        step="needs",
    )


def _server_drafts(store: PgStore, account: str) -> list[tuple[str, str]]:
    return [(d, str(p["notes"])) for d, p in store.drafts(account)]


def _setup(server: PgServer, tmp_path: Path) -> tuple[PgStore, str, Outbox, Drafts]:
    store = make_shared_store(server.create_database())
    account = store.list_accounts()[0].id
    outbox = Outbox(tmp_path / "outbox", store.line_keys)
    return store, account, outbox, Drafts(OutboxDrafts(store, outbox), account)


def test_a_draft_saved_while_the_server_is_down_is_kept_here_then_delivered_once(
    tmp_path: Path,
) -> None:
    with throwaway_server() as server:
        store, account, outbox, drafts = _setup(server, tmp_path)
        call = a_call()
        assert drafts.autosave(draft_of(call)) == "saved"
        server.stop("immediate")
        call.notes = NOTE + " (suite)"
        assert drafts.autosave(draft_of(call)) == "kept-here"
        call.notes = NOTE + " (suite et fin)"
        assert drafts.autosave(draft_of(call)) == "kept-here"  # replaces, never adds
        # Listed to resume while the server is down: the latest, once.
        pending = drafts.pending()
        assert [(d.contact_id, d.state.notes) for d in pending] == [
            (call.contact_id, NOTE + " (suite et fin)")
        ]
        # Sealed on disk: no name or note in clear.
        files = list((tmp_path / "outbox").rglob("*"))
        raw = b"".join(p.read_bytes() for p in files if p.is_file())
        assert raw
        for secret in (NAME, "Brouillon", "puisement", "gardes"):
            assert secret.encode() not in raw
            assert secret.encode("utf-16-le") not in raw

        server.start()
        assert outbox.deliver(store) == 0  # no call waited; the draft went up
        assert _server_drafts(store, account) == [(call.contact_id, NOTE + " (suite et fin)")]
        assert outbox.local_drafts(account) == []
        outbox.deliver(store)  # again: nothing more
        assert _server_drafts(store, account) == [(call.contact_id, NOTE + " (suite et fin)")]
        assert [d.contact_id for d in drafts.pending()] == [call.contact_id]
        store.close()


def test_a_call_finished_during_the_outage_leaves_no_draft_behind(tmp_path: Path) -> None:
    with throwaway_server() as server:
        store, account, outbox, drafts = _setup(server, tmp_path)
        call = a_call()
        drafts.autosave(draft_of(call))  # on the server
        server.stop("immediate")
        call.notes = NOTE + " (pendant la panne)"
        assert drafts.autosave(draft_of(call)) == "kept-here"
        call.step = "wrapup"
        snap = snapshot(call, "en", "2026-11-22T08:30:00+00:00")
        assert save_or_queue(store, outbox, snap, account) == "queued"
        assert outbox.local_drafts(account) == []  # the queued call holds it all now
        # An autosave still running when the call was saved writes its draft here after it.
        outbox.put_draft(call.contact_id, account, draft_of(call).state.payload())
        server.start()
        # Before the outbox is delivered, neither the server's older draft nor the late local
        # one is offered: resuming either would save older text over the finished call.
        assert drafts.pending() == []
        assert outbox.deliver(store) == 1
        assert store.counts()["contacts"] == 1
        assert store.drafts(account) == []  # the server's older draft went with the save
        assert drafts.pending() == []
        store.close()


def test_a_draft_discarded_during_the_outage_stays_discarded(tmp_path: Path) -> None:
    with throwaway_server() as server:
        store, account, outbox, drafts = _setup(server, tmp_path)
        kept, dropped = a_call(), a_call("Autre brouillon")
        drafts.autosave(draft_of(kept))
        drafts.autosave(draft_of(dropped))
        server.stop("immediate")
        drafts.discard(dropped.contact_id)
        assert [d.contact_id for d in drafts.pending()] == []  # the server's cannot be listed
        server.start()
        assert [d.contact_id for d in drafts.pending()] == [kept.contact_id]  # not the dropped
        outbox.deliver(store)
        assert [d for d, _p in store.drafts(account)] == [kept.contact_id]
        store.close()


def test_a_draft_without_consent_is_refused_before_anything_is_kept(tmp_path: Path) -> None:
    with throwaway_server() as server:
        store, account, outbox, _drafts = _setup(server, tmp_path)
        server.stop("immediate")
        payload = a_call().payload()
        payload["consent_notes"] = False  # free text without consent: the store's refusal
        with pytest.raises(ConsentRefused):
            OutboxDrafts(store, outbox).save_draft(str(uuid.uuid4()), account, payload)
        # A follow-up number alone is an identifier too (as the stores refuse it).
        number_only = {"consent_notes": False, "followup_number": "+15145550123"}
        with pytest.raises(ConsentRefused):
            OutboxDrafts(store, outbox).save_draft(str(uuid.uuid4()), account, number_only)
        assert outbox.local_drafts(account) == []
        assert not (tmp_path / "outbox").exists()
        store.close()


def test_a_call_refused_at_saving_keeps_its_draft_here(tmp_path: Path) -> None:
    """The last guard refuses a call said to be connected to crisis help without the
    connection recorded: nothing is saved or queued, so the draft kept here must stay (it is
    all there is of the call)."""
    with throwaway_server() as server:
        store, account, outbox, drafts = _setup(server, tmp_path)
        server.stop("immediate")
        call = a_call()
        call.outcome = "crisis-connected"
        assert drafts.autosave(draft_of(call)) == "kept-here"
        call.step = "wrapup"
        snap = snapshot(call, "en", "2026-11-22T08:30:00+00:00")
        with pytest.raises(RescueMissing):
            save_or_queue(store, outbox, snap, account)
        assert [d for d, _p in outbox.local_drafts(account)] == [call.contact_id]
        assert outbox.pending() == []
        store.close()


def test_a_kept_draft_the_server_refuses_is_set_aside_not_retried_forever(
    tmp_path: Path,
) -> None:
    with throwaway_server() as server:
        store, account, outbox, drafts = _setup(server, tmp_path)
        server.stop("immediate")
        call = a_call()
        assert drafts.autosave(draft_of(call)) == "kept-here"
        # Damaged on disk: no later try can open it.
        kept = tmp_path / "outbox" / "drafts" / f"{call.contact_id}.draft"
        kept.write_bytes(kept.read_bytes()[:-3] + b"xyz")
        server.start()
        outbox.deliver(store)
        assert outbox.local_drafts(account) == []
        assert (tmp_path / "outbox" / "set-aside" / kept.name).exists()
        assert store.drafts(account) == []
        store.close()
