"""Walk visible widgets and find text that belongs to the other language."""

from __future__ import annotations

import re
from functools import cache

from babel.messages.pofile import read_po
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from intake.i18n import Language
from intake.i18n.catalog import po_path


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(object name, text) for every piece of text a person can see or hear in `root`."""
    found: list[tuple[str, str]] = []
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if not widget.isVisible():
            continue
        if widget.property("endonym") or widget.property("bilingual"):
            continue  # "English" / "Français", or a question asked in both, on purpose
        name = widget.objectName() or type(widget).__name__
        texts = [widget.toolTip(), widget.accessibleName()]
        if widget.isWindow():
            texts.append(widget.windowTitle())
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        if isinstance(widget, QGroupBox):
            texts.append(widget.title())
        if isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        found += [(name, t) for t in texts if t]
    return found


@cache
def _foreign_patterns(language: Language) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Catalog strings of the *other* language that differ from their counterpart."""
    with po_path("fr").open("rb") as fp:
        catalog = read_po(fp, locale="fr")
    patterns = []
    for message in catalog:
        if not message.id or not message.string or message.id == message.string:
            continue
        source = str(message.id if language == "fr" else message.string)
        if sum(ch.isalpha() for ch in re.sub(r"\{[a-z_]+\}", "", source)) < 3:
            continue  # "{field}: {value}" would match any text with a colon in either language
        regex = re.escape(source)
        regex = re.sub(r"\\\{[a-z_]+\\\}", ".+?", regex)
        patterns.append((source, re.compile(regex, re.DOTALL)))
    return tuple(patterns)


def foreign_texts(root: QWidget, language: Language) -> list[str]:
    leftovers = []
    for name, text in visible_texts(root):
        for source, pattern in _foreign_patterns(language):
            whole = pattern.fullmatch(text) is not None
            inside = "{" not in source and len(source) >= 20 and source in text
            if whole or inside:
                leftovers.append(f"{name}: {text!r}")
    return leftovers
