"""The clock the window benchmarks share: an action is finished when a person sees its result.

A click returns long before its effect is on screen: what it changed posts layout requests,
style and show events, deferred deletions and repaints, which Qt runs on the next turns of the
event loop. `until_painted` times the action, then everything it queued (every posted event,
deferred deletions included, until none is left), then the next frame of the whole window.
Timing only the click and one `repaint()` under-reported a language switch by 4x.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QWidget


def flush() -> None:
    """Deliver every posted event, including the deferred deletes Qt keeps for last."""
    for _round in range(5):  # handling an event may post more (a layout request, a resize)
        QApplication.sendPostedEvents(None, 0)
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()


def until_painted(action: Callable[[], object], window: QWidget) -> float:
    """Milliseconds from the action to its queued work done and the next frame painted."""
    start = time.perf_counter()
    action()
    flush()
    window.repaint()
    return (time.perf_counter() - start) * 1000


def click_and_repaint(action: Callable[[], object], window: QWidget) -> float:
    """The old clock (the action and one repaint), printed beside the new one for comparison."""
    start = time.perf_counter()
    action()
    window.repaint()
    return (time.perf_counter() - start) * 1000
