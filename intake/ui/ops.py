"""Run slow work (key derivation, PIN hashing, later backups) off the UI thread.

`run_in_background(fn, on_success, on_failure)` calls `fn()` on a worker thread and delivers the
result or the exception on the UI thread. Rule: `fn` never touches a widget. Callbacks should be
bound methods of QObjects, so a callback whose widget is gone is simply not called.
Running calls are held here, not by a widget, so a window closing mid-call cannot destroy a
running thread; `wait_all()` joins them at exit and `running()` lets tests check none is left.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QThread
from PySide6.QtCore import Signal as QtSignal

_running: set[BackgroundCall] = set()


class BackgroundCall(QThread):
    succeeded = QtSignal(object)
    failed = QtSignal(object)

    def __init__(self, fn: Callable[[], Any], name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self._fn = fn
        self._result: Any = None
        self._error: BaseException | None = None
        # `finished` is emitted in the worker; this object lives on the UI thread, so the
        # connection is queued and `_deliver` runs on the UI thread.
        self.finished.connect(self._deliver)

    def run(self) -> None:
        try:
            self._result = self._fn()
        except Exception as exc:  # delivered to the caller, who decides what it means
            self._error = exc

    def _deliver(self) -> None:
        _running.discard(self)
        if self._error is not None:
            self.failed.emit(self._error)
        else:
            self.succeeded.emit(self._result)
        self.deleteLater()


def run_in_background(
    fn: Callable[[], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None],
    *,
    name: str,
) -> BackgroundCall:
    call = BackgroundCall(fn, name)
    call.succeeded.connect(on_success)
    call.failed.connect(on_failure)
    _running.add(call)
    call.start()
    return call


def running() -> list[str]:
    return sorted(call.objectName() for call in _running)


def wait_all() -> None:
    for call in list(_running):
        call.wait()
