"""Notices when nobody has touched the application for a while (kiosk wipe, idle lock).

Any press, key or touch anywhere in the application restarts the wait. The timer is a child of
the watch, so it stops with it; `expire()` is what the timer calls, and tests call it directly
instead of sleeping.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtWidgets import QApplication

from intake.ui.widgets import ACTIVITY, input_filter


class IdleWatch(QObject):
    idle = QtSignal()

    def __init__(self, idle_ms: int, parent: QObject) -> None:
        super().__init__(parent)
        self.setObjectName("idle-watch")
        self._timer = QTimer(self)
        self._timer.setObjectName("idle-timer")
        self._timer.setSingleShot(True)
        self._timer.setInterval(idle_ms)
        self._timer.timeout.connect(self.expire)
        # The application's own input filter tells of every press and key (create_qapplication
        # installs it); only without one does the watch filter the application's events itself:
        # each extra Python filter makes every event, and so every screen change, slower.
        app = QApplication.instance()
        self._shared = input_filter()
        if self._shared is not None:
            self._shared.activity.connect(self.poke)
        elif app is not None:
            app.installEventFilter(self)
        self._timer.start()

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    def set_interval_ms(self, idle_ms: int) -> None:
        """A new idle time (saved in the console), counted from now."""
        self._timer.setInterval(idle_ms)
        if self._timer.isActive():
            self._timer.start()

    def is_active(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, ACTIVITY):
            self.poke()
        return False

    def poke(self) -> None:
        self._timer.start()

    def expire(self) -> None:
        self._timer.stop()
        self.idle.emit()

    def stop(self) -> None:
        self._timer.stop()
        if self._shared is not None:
            self._shared.activity.disconnect(self.poke)
            self._shared = None
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
