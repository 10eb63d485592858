"""One calm, high-contrast style for every window (readable at 3 a.m. and at a kiosk)."""

STYLE_SHEET = """
QWidget { font-size: 11pt; }
QLabel[heading="1"] { font-size: 18pt; font-weight: 600; margin: 4px 0 4px 0; }
QLabel[hint="true"] { color: #3d4650; }
QLabel#app-name { font-size: 12pt; font-weight: 600; }
QLabel#signed-in { color: #3d4650; padding: 0 8px; }
QGroupBox { font-weight: 600; border: 1px solid #c9d1d9; border-radius: 6px;
            margin-top: 14px; padding: 10px 8px 8px 8px; }
QGroupBox::title { subcontrol-origin: margin; left: 10px; padding: 0 4px; }
QLineEdit { padding: 5px; border: 1px solid #8c959f; border-radius: 4px; min-height: 22px; }
QLineEdit:focus { border: 2px solid #0b5cad; }
QPushButton { padding: 7px 16px; border-radius: 4px; border: 1px solid #0b5cad;
              background: #0b5cad; color: white; font-weight: 600; }
QPushButton:disabled { background: #8c959f; border-color: #8c959f; }
QToolButton { padding: 5px 10px; border: 1px solid #8c959f; background: white; }
QToolButton:checked { background: #0b5cad; color: white; border-color: #0b5cad; }
QFrame#message-banner { background: #fff4e5; border: 1px solid #b35900; border-radius: 4px; }
QLabel#banner-title { font-weight: 600; color: #7a3d00; }
QWidget#main-header { background: #e8edf2; border-bottom: 1px solid #c9d1d9; }
"""
