"""`intake db purge` applies the contacts' retention to matching too (issue 17): the identity
of a request closed before the cutoff is shredded, a request on legal hold is kept."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from intake.services import matching
from intake.storage.db import open_store
from intake.storage.roster import set_matching_hold
from tests.conftest import PASSPHRASE, make_store
from tests.matching.helpers import request

ROOT = Path(__file__).parents[2]


def test_the_purge_command_shreds_old_requesters_and_keeps_held_ones(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    store = make_store(path)
    (coordinator,) = [r[0] for r in store.query("SELECT id FROM accounts")]
    long_ago = datetime.now(UTC) - timedelta(days=5000)
    old, held = request(), request()
    for asked in (old, held):
        matching.add_request(store, asked, coordinator)
        matching.close(store, asked.id, "supported", coordinator, long_ago)
    set_matching_hold(store, "match_requests", held.id, True, coordinator)
    store.close()
    done = subprocess.run(
        [sys.executable, "-m", "intake", "db", "purge", "--store", str(path)],
        input=f"{PASSPHRASE}\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )
    assert done.returncode == 0, done.stderr
    assert "shredded: 1;" in done.stdout
    store = open_store(path, PASSPHRASE)
    try:
        names = dict(store.query("SELECT id, requester_name FROM match_requests"))
    finally:
        store.close()
    assert names[old.id] is None
    assert names[held.id] == "Dr Casey Requester"
