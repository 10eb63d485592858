"""Qt widgets. Everything under `intake.ui` may use PySide6; nothing outside it may."""
