"""Python's cycle collector must never run on a worker thread while the window runs: when the
garbage holds a top-level widget kept alive only by a reference cycle, Qt destroys it on the
worker and the UI thread crashes (a segmentation fault in CI, in test_kiosk_exit_own_login.py,
while a worker derived the line's key). `intake.ui.collector` moves collections to the UI
thread; these tests fail without it."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap
import threading
import weakref
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from intake.ui import collector, ops
from intake.ui.app import create_qapplication

# Dropped top-level widgets held only by a cycle, then a worker that allocates: without the
# fix this crashed within the first rounds every time it was run (exit -11).
_DROP_WIDGETS_WHILE_A_WORKER_ALLOCATES = textwrap.dedent(
    """
    import gc, time
    from PySide6.QtWidgets import QLabel, QWidget
    from intake.ui import ops
    from intake.ui.app import create_qapplication

    app = create_qapplication([])
    gc.set_threshold(50, 1, 1)  # collections due often, as a busy process has them
    results = []

    def work():
        return len([[i] for i in range(100_000)])

    for _round in range(15):
        for _ in range(100):
            widget = QWidget()
            QLabel("x", widget)
            widget.itself = widget  # only the cycle collector can free it
            widget.show()
        del widget
        ops.run_in_background(work, results.append, results.append, name="allocate")
        while ops.running():
            app.processEvents()
            time.sleep(0.001)
    print("rounds", len(results))
    """
)


def test_widgets_in_cycles_dropped_while_a_worker_allocates_do_not_crash() -> None:
    done = subprocess.run(
        [sys.executable, "-X", "faulthandler", "-c", _DROP_WIDGETS_WHILE_A_WORKER_ALLOCATES],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,  # the exit code is the finding
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["rounds", "15"]


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The thread of every collection that starts while the test runs."""
    threads: list[int] = []

    def record(phase: str, _info: dict[str, Any]) -> None:
        if phase == "start":
            threads.append(threading.get_ident())

    gc.callbacks.append(record)
    yield threads
    gc.callbacks.remove(record)


def test_collections_run_on_the_ui_thread_only(qtbot: QtBot, collections: list[int]) -> None:
    create_qapplication([])
    results: list[object] = []
    # Kept alive (the result), so the worker leaves collections due for the UI thread's tick.
    ops.run_in_background(
        lambda: [[i] for i in range(300_000)], results.append, results.append, name="alloc"
    )
    qtbot.waitUntil(lambda: bool(results), timeout=20_000)
    qtbot.waitUntil(lambda: bool(collections), timeout=5_000)
    assert set(collections) == {threading.main_thread().ident}


def test_cycles_are_still_collected(qtbot: QtBot) -> None:
    create_qapplication([])
    widget = QWidget()
    widget.itself = widget  # type: ignore[attr-defined]
    gone = weakref.ref(widget)
    del widget
    # Enough allocation that a collection falls due, then at most a few ticks.
    churn = [[i] for i in range(gc.get_threshold()[0] * 2)]
    qtbot.waitUntil(lambda: gone() is None, timeout=5 * collector.TICK_MS * 4)
    assert churn


def test_installed_once_however_often_the_application_is_made() -> None:
    app = create_qapplication([])
    assert collector.install(app) is collector.install(app)
    assert not gc.isenabled()


@pytest.fixture
def generations() -> Iterator[list[int]]:
    """The generation of every collection that starts, with small thresholds and the test
    process's own objects frozen out of the way (the oldest generation then holds what the
    test keeps)."""
    started: list[int] = []

    def record(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started.append(info["generation"])

    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(100, 2, 2)
    gc.callbacks.append(record)
    yield started
    gc.callbacks.remove(record)
    gc.set_threshold(*threshold)
    gc.unfreeze()


def test_a_full_collection_waits_for_a_quarter_more_long_lived_objects(
    generations: list[int],
) -> None:
    tick = collector.UiThreadCollector(QObject())  # reads the small thresholds; ticked by hand
    kept: list[list[list[int]]] = []

    def ticks(count: int, *, lasting: bool) -> None:
        for _ in range(count):
            if lasting:
                kept.append([[i] for i in range(150)])
            else:
                for _ in range(150):  # garbage only the collector can free
                    ring: list[object] = []
                    ring.append(ring)
            tick.collect_due()

    for _ in range(40):  # the first comes as soon as the oldest generation is due
        ticks(1, lasting=True)
        if 2 in generations:
            break
    assert 2 in generations
    generations.clear()
    ticks(90, lasting=False)
    assert 1 in generations  # collections go on, and free the garbage...
    assert 2 not in generations  # ...but nothing lasted: no full collection, however long
    ticks(20, lasting=True)
    assert 2 in generations  # a quarter more lasted: a full collection again
    assert kept
