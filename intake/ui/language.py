"""Live language switching for every open window.

A switch swaps the gettext catalog, the default QLocale and Qt's own French catalog, then
delivers `QEvent.LanguageChange` to every widget before returning. Widgets retranslate in
`changeEvent` (through `Retranslatable`), so the code that sets a text sits next to the code
that builds the widget, and windows opened later simply start in the new language.
Retranslating only sets labels: text already typed into fields is never touched.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QObject, QTranslator
from PySide6.QtCore import Signal as QtSignal

from intake.i18n import Language, current_language, set_language
from intake.settings import SettingsFile

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
        swapped = self._swap_qt_translator(language)
        if app is not None:
            if not swapped:
                QCoreApplication.sendEvent(app, QEvent(QEvent.Type.LanguageChange))
            # QApplication posts LanguageChange to each window: deliver them before returning,
            # so callers (and tests) see every window in the new language at once.
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
        self.changed.emit(language)

    def switch(self, language: Language) -> None:
        """Switch and remember the choice for the next start."""
        if language == self.language:
            return
        self.apply(language)
        self._settings_file.save(self._settings_file.load().with_language(language))

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
