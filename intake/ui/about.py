"""The About box: what this is and exactly which versions are running."""

from __future__ import annotations

import sys

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from intake import __version__
from intake.i18n import _


def about_text(cipher_version: str, sqlite_version: str) -> str:
    """`cipher_version` empty: the line's shared server, whose version is `sqlite_version`."""
    template = (
        _(
            "Version {version}\n\nQt {qt} · PySide6 {pyside} · Python {python}\n"
            "SQLCipher {sqlcipher} (SQLite {sqlite})"
        )
        if cipher_version
        else _(
            "Version {version}\n\nQt {qt} · PySide6 {pyside} · Python {python}\n"
            "Shared server: {sqlite}; notes, names and numbers sealed on this computer "
            "(AES-256-GCM)"
        )
    )
    versions = template.format(
        version=__version__,
        qt=qVersion(),
        pyside=PySide6.__version__,
        python=".".join(map(str, sys.version_info[:3])),
        sqlcipher=cipher_version,
        sqlite=sqlite_version,
    )
    purpose = _(
        "Confidential intake and referral for physician peer-support lines and kiosks. "
        "Peer support is not clinical care: this application never diagnoses or gives "
        "medical advice."
    )
    return f"{purpose}\n\n{versions}"


def show_about(parent: QWidget, cipher_version: str, sqlite_version: str) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("about-box")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(_("About Peer Support Intake"))
    box.setText(_("Peer Support Intake"))
    box.setInformativeText(about_text(cipher_version, sqlite_version))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.open()
    return box
