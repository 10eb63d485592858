# One store only (the SQLCipher file): a full disk under the file.
"""A full disk: a typed error, every earlier record intact, the unsaved record still in hand,
and saving works again once there is room. Simulated with a file-size limit in a child process
(a real limit on the real file, no mock; no root or mount needed)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from intake.storage.maintenance import check_store
from tests.conftest import PASSPHRASE, make_store

CHILD = textwrap.dedent("""
    import dataclasses, resource, signal, sys, uuid
    from pathlib import Path
    from intake.storage.account_store import list_accounts
    from intake.storage.db import open_store
    from intake.storage.errors import DiskFull
    from intake.storage.records import ContactRecord, add_note, save_contact
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # report the error instead of dying
    store = open_store(Path(sys.argv[1]), sys.argv[2])
    actor = list_accounts(store)[0].id
    size = Path(sys.argv[1]).stat().st_size
    resource.setrlimit(resource.RLIMIT_FSIZE, (size + 64 * 1024, resource.RLIM_INFINITY))
    saved = 0
    while True:
        record = ContactRecord(id=str(uuid.uuid4()), channel="phone", started_at="2026-11-22T03:00:00+00:00",
                               ui_language="en", caller_language="en", consent_notes=True)
        note_id = str(uuid.uuid4())
        try:
            save_contact(store, record, actor)
            add_note(store, note_id, record.id, "x" * 4000, actor)
        except DiskFull as exc:
            print("full", type(exc).__name__, exc.explain()[0], flush=True)
            break
        print("saved", record.id, flush=True)
        saved += 1
    # The unsaved record is still in hand; once there is room again, the same save succeeds.
    resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    print("retry", save_contact(store, record, actor), add_note(store, note_id, record.id, "x" * 4000, actor), record.id, flush=True)
    store.close()
""")


def test_disk_full_is_typed_and_loses_nothing(store_path: Path) -> None:
    make_store(store_path).close()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(store_path), PASSPHRASE],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        cwd=Path(__file__).parents[2],
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    saved = [line.split()[1] for line in lines if line.startswith("saved")]
    full = [line for line in lines if line.startswith("full")]
    assert len(saved) >= 3
    assert full == ["full DiskFull The disk is full or cannot be written to"]
    retry = lines[-1].split()
    assert retry[0] == "retry"
    assert retry[1] in {"created", "unchanged"}  # the contact may have committed before the note
    assert retry[2] == "created"  # the note that did not fit is saved on retry, once
    report = check_store(store_path, PASSPHRASE)
    assert report.ok, report
    from intake.storage.db import open_store

    store = open_store(store_path, PASSPHRASE)
    present = {r[0] for r in store.query("SELECT id FROM contacts")}
    store.close()
    assert set(saved) <= present
    assert retry[3] in present
