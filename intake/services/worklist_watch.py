"""Hear the line's worklist change, on a thread of its own, free of Qt (issue 18).

On the shared server every station's new callback or follow-up, claim, release, attempt, new
due time or close is announced on the worklist channel (LISTEN/NOTIFY, ids only: see
`intake.storage.pg.schema`). `WorklistWatch` listens on its own connection, off the window's
thread, and calls `on_change` (from its thread) when something was heard, so an open worklist
and the home page's count follow within a second or two instead of the next check of the
server.

It never blocks anyone: while the server cannot be reached it waits and tries again every few
seconds (the window's regular check of the server goes on meanwhile, so the list still follows,
only later); when it is listening again it calls `on_change` once, for whatever was missed.
Nothing of this is said to the person: the strip under the header already says whether the
server answers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from intake.storage.errors import StoreError

WAIT_SECONDS = 0.5  # how long one wait for an announcement lasts (and so how soon `stop` ends it)
RETRY_SECONDS = 3.0  # between tries to listen again while the server cannot be reached


class WorklistWatch:
    def __init__(self, dsn: str, on_change: Callable[[], None]) -> None:
        self._dsn = dsn
        self._on_change = on_change
        self._stop = threading.Event()
        self._listening = threading.Event()
        self._thread = threading.Thread(target=self._run, name="worklist-watch", daemon=True)

    @property
    def listening(self) -> bool:
        """True while announcements are heard (False before the first connection, and while
        the server cannot be reached)."""
        return self._listening.is_set()

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop listening and close the connection (waits for the thread, at most `timeout`)."""
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def _run(self) -> None:
        import psycopg  # noqa: PLC0415 - only on a shared store

        from intake.storage.pg.store import WorklistListener  # noqa: PLC0415

        missed = False
        while not self._stop.is_set():
            try:
                listener = WorklistListener(self._dsn)
            except (StoreError, psycopg.Error):
                missed = True
                self._stop.wait(RETRY_SECONDS)
                continue
            try:
                self._listening.set()
                if missed:
                    self._on_change()  # what changed while nobody was listening
                    missed = False
                while not self._stop.is_set():
                    if listener.wait(WAIT_SECONDS, stop_after=1):
                        self._on_change()
            except (StoreError, psycopg.Error):
                missed = True
            finally:
                self._listening.clear()
                listener.close()
            if not self._stop.is_set():
                self._stop.wait(RETRY_SECONDS)
