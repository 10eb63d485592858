# One store only (the SQLCipher file): scans the files and temp files a station's process holds for
#   plaintext (the server's data directory is scanned in test_shared_store.py).
"""Nothing confidential outside the encrypted pages: a sentinel sentence is written as notes,
then searched for (UTF-8, UTF-16 LE/BE) everywhere it could leak. Runs in a child process so
the scan covers exactly the files that process held open, including deleted temporary files."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SENTINEL = "Zéphyrine-7741 avoua la vérité au quokka"


def encodings(text: str) -> list[bytes]:
    return [
        text.encode("utf-8"),
        text.encode("utf-16-le"),
        text.encode("utf-16-be"),
        "Zéphyrine-7741".encode(),
        "7741 avoua".encode("utf-16-le"),
    ]


def hits(data: bytes) -> list[bytes]:
    return [e for e in encodings(SENTINEL) if e in data]


CHILD = textwrap.dedent("""
    import logging, os, stat, sys, uuid
    from pathlib import Path
    logging.basicConfig(filename=sys.argv[3], level=logging.DEBUG)
    from intake.settings import SettingsFile
    from intake.storage.account_store import list_accounts
    from intake.storage.maintenance import backup_store, check_store
    from intake.storage.records import ContactRecord, add_note, save_contact, save_draft, search_notes
    from tests.conftest import make_store
    store_path, backup_path, sentinel = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[4]
    SettingsFile(Path(sys.argv[5])).save(SettingsFile(Path(sys.argv[5])).load().with_language("fr"))
    store = make_store(store_path)
    actor = list_accounts(store)[0].id
    for index in range(50):
        record = ContactRecord(id=str(uuid.uuid4()), channel="phone", started_at="2026-11-22T03:00:00-05:00",
                               ui_language="fr", caller_language="fr", consent_notes=True,
                               caller_name=f"{sentinel} {index}")
        save_contact(store, record, actor)
        add_note(store, str(uuid.uuid4()), record.id, f"{sentinel} {index}, " * 30, actor)
    save_draft(store, "draft", actor, {"consent_notes": True, "notes": sentinel})
    # Sort-heavy and search work, which could spill to temporary storage.
    store.query("SELECT body FROM notes ORDER BY body DESC, created_at")
    assert search_notes(store, "quokka")
    backup_store(store, backup_path, "backup passphrase for the test", actor)
    # Every file this process holds open now, deleted temporary files included.
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
            if not stat.S_ISREG(os.stat(f"/proc/self/fd/{fd}").st_mode):
                continue  # pipes and sockets (reading our own stdin would wait forever)
            with open(f"/proc/self/fd/{fd}", "rb") as fp:
                data = fp.read()
        except OSError:
            continue
        marker = "HIT" if any(e in data for e in (sentinel.encode(), sentinel.encode("utf-16-le"), sentinel.encode("utf-16-be"))) else "clean"
        print(marker, target)
    store.close()
    print("done")
""")


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc")
def test_sentinel_appears_nowhere_outside_the_encrypted_pages(tmp_path: Path) -> None:
    store_path, backup_path = tmp_path / "data" / "store.db", tmp_path / "backup.db"
    log_path, settings_path, temp = (
        tmp_path / "app.log",
        tmp_path / "settings.json",
        tmp_path / "tmp",
    )
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "SQLITE_TMPDIR": str(temp)}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            str(store_path),
            str(backup_path),
            str(log_path),
            SENTINEL,
            str(settings_path),
        ],
        capture_output=True,
        check=True,
        env=env,
        cwd=Path(__file__).parents[2],
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    lines = done.stdout.decode().splitlines()
    assert lines[-1] == "done"
    open_files = [line for line in lines[:-1] if line.split(" ", 1)[1].startswith("/")]
    assert open_files, "the child reported no open files"
    assert [line for line in open_files if line.startswith("HIT")] == []
    # Everything written on disk: the store and its journal, lock, backup, log, settings, temp.
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert store_path in written
    assert backup_path in written
    for path in written:
        assert hits(path.read_bytes()) == [], path
    # What the process printed, SQLCipher's own logging included.
    assert hits(done.stdout + done.stderr) == []
    # The plain sqlite3 module cannot read the store at all.
    plain = sqlite3.connect(store_path)
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        plain.execute("SELECT count(*) FROM notes").fetchall()
    plain.close()


def test_positive_control_the_scan_finds_the_sentinel_in_an_unencrypted_copy(
    tmp_path: Path,
) -> None:
    path = tmp_path / "plain.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES (?)", (SENTINEL,))
    conn.commit()
    conn.close()
    assert hits(path.read_bytes()) != []
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(SENTINEL.encode("utf-16-le"))
    assert hits(utf16.read_bytes()) != []
