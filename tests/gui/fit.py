"""Does a screen fit? Text cut or elided (its font metrics exceed its geometry), a horizontal
scroll bar, or a window that cannot shrink to the screen."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QRadioButton,
    QScrollArea,
    QStyle,
    QStyleOptionComboBox,
    QWidget,
)


def _shown(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def _label_problem(label: QLabel) -> str | None:  # noqa: PLR0911 - one reason per return
    text = label.text()
    if not text:
        return None
    if label.textFormat() == Qt.TextFormat.RichText or "<" in text:
        return None
    metrics = label.fontMetrics()
    margin = 2 * label.margin() + 2 * label.frameWidth()
    room = label.contentsRect().width() - 2 * label.margin()
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        if needed > label.height() + 1:
            return f"wrapped text needs {needed} px of height, has {label.height()}"
        # A single word longer than the line is cut even when wrapping.
        words = text.replace("\u200b", " ").split()  # a zero-width space is a break too
        longest = max((metrics.horizontalAdvance(w) for w in words), default=0)
        if longest > room + 1:
            return f"a word needs {longest} px, the label is {room} px wide"
        return None
    lines = text.split("\n")
    width = max(metrics.horizontalAdvance(line) for line in lines)
    if width > room + 1:
        return f"text needs {width + margin} px, has {label.width()}"
    height = metrics.lineSpacing() * len(lines)
    if height > label.contentsRect().height() + 2:
        return f"text needs {height} px of height, has {label.contentsRect().height()}"
    return None


def _button_problem(button: QAbstractButton) -> str | None:
    text = button.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    if not text:
        return None
    metrics = button.fontMetrics()
    width = max(metrics.horizontalAdvance(line) for line in text.split("\n"))
    if isinstance(button, QCheckBox | QRadioButton):
        width += 20  # the indicator and its spacing
    # The size hint holds the text plus the style's padding (style sheets included).
    needed = max(button.sizeHint().width(), width)
    if button.width() + 1 < needed:
        return f"text needs {needed} px, has {button.width()}"
    return None


def _group_problem(box: QGroupBox) -> str | None:
    if not box.title():
        return None
    needed = box.fontMetrics().horizontalAdvance(box.title()) + 24
    return f"title needs {needed} px, has {box.width()}" if needed > box.width() else None


def _combo_problem(combo: QComboBox) -> str | None:
    text = combo.currentText()
    if not text:
        return None
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    contents = QSize(combo.fontMetrics().horizontalAdvance(text), combo.fontMetrics().height())
    needed = (
        combo.style()
        .sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, contents, combo)
        .width()
    )
    return (
        f"'{text}' needs {needed} px, has {combo.width()}" if needed > combo.width() + 2 else None
    )


def _header_problem(header: QHeaderView) -> list[str]:
    model = header.model()
    if model is None or not _shown(header):
        return []
    found = []
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        text = str(model.headerData(section, header.orientation()) or "")
        needed = header.fontMetrics().horizontalAdvance(text) + 8  # the header's margins
        if text and header.sectionSize(section) < needed:
            found.append(f"column '{text}' needs {needed} px, has {header.sectionSize(section)}")
    return found


def _wider_than_its_view(area: QScrollArea) -> bool:
    content = area.widget()
    return content is not None and content.width() > area.viewport().width() + 1


def fit_problems(root: QWidget) -> list[str]:
    """Everything on `root` that a person cannot read whole."""
    QApplication.processEvents()
    problems: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not _shown(widget):
            continue
        name = widget.objectName() or type(widget).__name__
        found: list[str | None] = []
        if isinstance(widget, QLabel):
            found.append(_label_problem(widget))
        elif isinstance(widget, QAbstractButton):
            found.append(_button_problem(widget))
        elif isinstance(widget, QGroupBox):
            found.append(_group_problem(widget))
        elif isinstance(widget, QComboBox):
            found.append(_combo_problem(widget))
        elif isinstance(widget, QHeaderView) and widget.orientation() == Qt.Orientation.Horizontal:
            found += _header_problem(widget)
        if isinstance(widget, QAbstractScrollArea) and widget.horizontalScrollBar().isVisible():
            found.append("a horizontal scroll bar shows")
        if isinstance(widget, QScrollArea) and _wider_than_its_view(widget):
            found.append("its content is wider than its view (cut on the right)")
        problems += [f"{name}: {p}" for p in found if p]
    return problems
