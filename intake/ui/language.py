"""Live language switching for every open window.

A switch swaps the gettext catalog, the default QLocale and Qt's own French catalog, then
delivers `QEvent.LanguageChange` to every widget before returning. Widgets retranslate in
`changeEvent` (through `Retranslatable`), so the code that sets a text sits next to the code
that builds the widget, and windows opened later simply start in the new language.
Retranslating only sets labels: text already typed into fields is never touched.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QObject, QTranslator
from PySide6.QtCore import Signal as QtSignal

from intake.i18n import Language, current_language, set_language
from intake.settings import SettingsFile
from intake.ui import ops

log = logging.getLogger(__name__)

# The object name of the application's input filter (intake.ui.widgets.EnterPressesButtons).
INPUT_FILTER = "enter-presses-buttons"
INSTALLED = "installed"  # its property: true once it filters the application's events

QT_LOCALES: dict[Language, QLocale] = {
    "en": QLocale(QLocale.Language.English, QLocale.Country.Canada),
    "fr": QLocale(QLocale.Language.French, QLocale.Country.Canada),
}


class Retranslatable:
    """Mixin for our widgets: call `retranslate_ui` on every language change."""

    def retranslate_ui(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        parent: Any = super()
        parent.changeEvent(event)


def system_language() -> Language:
    """First-run default: French when the system's UI language is French, otherwise English."""
    return "fr" if QLocale.system().language() == QLocale.Language.French else "en"


class LanguageManager(QObject):
    changed = QtSignal(str)

    def __init__(self, settings_file: SettingsFile, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("language-manager")
        self._settings_file = settings_file
        self._qt_translator: QTranslator | None = None
        self._wanted: Language | None = None  # the last choice to write to the settings file
        self._writing: Language | None = None  # the choice a worker is writing now
        # One translator per language, loaded once and reused: installing a new one on every
        # switch kept each old one alive (about 87 KB each; a kiosk switches at every visit).
        self._qt_translators: dict[Language, QTranslator | None] = {}

    @property
    def language(self) -> Language:
        return current_language()

    def apply(self, language: Language) -> None:
        """Switch every open window now (without saving the choice)."""
        set_language(language)
        QLocale.setDefault(QT_LOCALES[language])
        app = QCoreApplication.instance()
        # The application's input filter (Enter on buttons, activity for the idle watches) is
        # Python: every event of every widget crossed into it, a third of a switch's time.
        # A switch delivers no input, so it steps aside while the widgets retranslate.
        shared = app.findChild(QObject, INPUT_FILTER) if app is not None else None
        # Not installed yet before the first window has painted (`create_qapplication`).
        if shared is not None and not shared.property(INSTALLED):
            shared = None
        if app is not None and shared is not None:
            app.removeEventFilter(shared)
        try:
            swapped = self._swap_qt_translator(language)
            if app is not None:
                if not swapped:
                    QCoreApplication.sendEvent(app, QEvent(QEvent.Type.LanguageChange))
                # QApplication posts LanguageChange to each window: deliver them before
                # returning, so callers (and tests) see every window in the new language at once.
                QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
        finally:
            if app is not None and shared is not None:
                app.installEventFilter(shared)
        self.changed.emit(language)

    def switch(self, language: Language) -> None:
        """Switch and remember the choice for the next start."""
        if language == self.language:
            return
        self.apply(language)
        self._remember(language)

    def _remember(self, language: Language) -> None:
        """Write the choice on a worker thread: the file is synced to disk, which took 20-45 ms
        on the UI thread, after the windows had already changed. One write at a time, and the
        last choice is the one written (switching twice quickly never leaves the first)."""
        self._wanted = language
        if self._writing is not None:
            return  # written when the running write ends
        self._writing = language
        settings_file = self._settings_file
        ops.run_in_background(
            lambda: settings_file.save(settings_file.load().with_language(language)),
            self._written,
            self._write_failed,
            name="save-language",
        )

    def _written(self, _result: object = None) -> None:
        written, self._writing = self._writing, None
        if self._wanted is not None and self._wanted != written:
            self._remember(self._wanted)

    def _write_failed(self, exc: BaseException) -> None:
        # The switch itself worked; only the next start may open in the previous language.
        log.warning("interface language not saved: %s", type(exc).__name__)
        self._written()

    def _swap_qt_translator(self, language: Language) -> bool:
        """Install Qt's own catalog for `language` in place of the previous one; True if changed.

        (Installing or removing a translator already delivers LanguageChange to the widgets.)
        """
        wanted = self._translator_for(language)
        if wanted is self._qt_translator:
            return False
        if self._qt_translator is not None:
            QCoreApplication.removeTranslator(self._qt_translator)
        if wanted is not None:
            QCoreApplication.installTranslator(wanted)
        self._qt_translator = wanted
        return True

    def _translator_for(self, language: Language) -> QTranslator | None:
        if language == "en":
            return None  # Qt's own strings are English already
        if language not in self._qt_translators:
            translator: QTranslator | None = QTranslator(self)
            folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            if translator is not None and not translator.load(f"qtbase_{language}", folder):
                translator.deleteLater()
                translator = None
            self._qt_translators[language] = translator
        return self._qt_translators[language]
