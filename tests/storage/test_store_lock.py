# One store only (the SQLCipher file): the lock that keeps a second application off the same file.
"""The store's single-instance lock, with real processes: one copy at a time on every platform,
released when the store closes (whichever thread closes it) and when the holder dies."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from intake.storage.db import Store, open_store
from intake.storage.errors import StoreBusy
from tests.conftest import PASSPHRASE, make_store

# A second copy of the application, as a separate process: it opens the store (passphrase on
# stdin), says what happened, and keeps the store open until its stdin closes.
SECOND_COPY = """
import sys
from pathlib import Path
from intake.storage.db import open_store
from intake.storage.errors import StoreBusy
try:
    store = open_store(Path(sys.argv[1]), sys.stdin.readline().rstrip("\\n"))
except StoreBusy:
    print("busy", flush=True)
    raise SystemExit(3)
print("open", flush=True)
sys.stdin.read()
store.close()
"""


def second_copy(store_path: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", SECOND_COPY, str(store_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert proc.stdin is not None
    proc.stdin.write(PASSPHRASE + "\n")
    proc.stdin.flush()
    return proc


def test_another_process_is_refused_while_the_store_is_open(store_path: Path) -> None:
    store = make_store(store_path)
    proc = second_copy(store_path)
    out, _ = proc.communicate(timeout=60)
    assert (out.strip(), proc.returncode) == ("busy", 3)
    store.close()
    proc = second_copy(store_path)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "open"
    proc.communicate(timeout=60)
    assert proc.returncode == 0


def test_the_lock_dies_with_the_process_that_held_it(store_path: Path) -> None:
    make_store(store_path).close()
    holder = second_copy(store_path)
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "open"
    with pytest.raises(StoreBusy):
        open_store(store_path, PASSPHRASE)
    holder.kill()  # a crash or a power cut: no chance to release anything
    holder.communicate(timeout=60)
    assert store_path.with_name(store_path.name + ".lock").exists() or sys.platform == "win32"
    open_store(store_path, PASSPHRASE).close()  # the system released it


def test_a_store_opened_on_a_worker_thread_is_released_by_closing_it_elsewhere(
    store_path: Path,
) -> None:
    # The window unlocks on a worker thread and closes the store on the UI thread.
    make_store(store_path).close()
    opened: list[Store] = []
    worker = threading.Thread(target=lambda: opened.append(open_store(store_path, PASSPHRASE)))
    worker.start()
    worker.join()
    with pytest.raises(StoreBusy):
        open_store(store_path, PASSPHRASE)
    opened[0].close()
    open_store(store_path, PASSPHRASE).close()


@pytest.mark.skipif(os.name != "posix", reason="Windows has no permission bits")
def test_the_lock_file_is_private(store_path: Path) -> None:
    make_store(store_path).close()
    lock = store_path.with_name(store_path.name + ".lock")
    assert lock.stat().st_mode & 0o777 == 0o600
