"""Python's cycle collector runs on the UI thread only.

The collector runs in whichever thread happens to allocate when a generation fills up. When
that is a worker (`ops.run_in_background`: key derivation, a save, a report) and the garbage
holds a top-level widget kept alive only by a reference cycle (a window dropped by a closed
session, a lambda that refers back to its widget), Qt destroys that widget on the worker and
the UI thread crashes soon after (segmentation fault: seen in CI, reproduced by
tests/gui/test_collector.py). Qt widgets may only be touched on the UI thread.

So, once the QApplication exists, automatic collection is switched off and a timer on the UI
thread collects what the thresholds say is due, as the interpreter would have. This is the
pattern pyqtgraph ships (`pyqtgraph.util.garbage_collector`). Reference counting, which frees
almost everything, is unaffected; only cycles wait, for at most one tick."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

NAME = "intake-ui-thread-collector"
TICK_MS = 250


class UiThreadCollector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.setObjectName(NAME)
        self._threshold = gc.get_threshold()
        # The interpreter's own guard on full collections: one runs only once the objects
        # moved to the oldest generation since the last (pending) are a quarter of those it
        # kept (long-lived). Without it, a full collection (15-30 ms at a shift's end) ran about
        # every half minute of use, where the interpreter would have run almost none.
        self._long_lived = 0
        self._pending = 0
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.collect_due)
        gc.disable()
        self._timer.start()

    def collect_due(self) -> None:
        """Collect the oldest generation that is due, as the interpreter does at an
        allocation: gen0 counts allocations, gen1 and gen2 count the collections below them."""
        counts = gc.get_count()
        if counts[0] <= self._threshold[0]:
            return
        if counts[1] <= self._threshold[1]:
            gc.collect(0)
            return
        if counts[2] > self._threshold[2] and self._pending > self._long_lived // 4:
            gc.collect(2)
            self._long_lived = len(gc.get_objects(generation=2))
            self._pending = 0
            return
        young = len(gc.get_objects(generation=0)) + len(gc.get_objects(generation=1))
        self._pending += max(young - gc.collect(1), 0)  # the survivors move to gen2


def install(app: QObject) -> UiThreadCollector:
    """Install the collector on `app` once (a second call returns the first) and make sure
    automatic collection is off (the test suite turns it back on between window tests)."""
    existing = app.findChild(UiThreadCollector, NAME)
    if isinstance(existing, UiThreadCollector):
        gc.disable()
        return existing
    return UiThreadCollector(app)
