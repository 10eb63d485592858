"""One calm, high-contrast style for every window (readable at 3 a.m. and at a kiosk)."""

from string import Template

_TEMPLATE = Template("""
QWidget { font-size: $body; }
QLabel[heading="1"] { font-size: $h1; font-weight: 600; margin: 4px 0 4px 0; }
QLabel[hint="true"] { color: #3d4650; }
QLabel#app-name { font-size: $h3; font-weight: 600; }
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
QPushButton[secondary="true"] { background: white; color: #0b5cad; }
QPushButton[crisis="true"] { background: #a4161a; border-color: #a4161a; padding: 10px 16px; }
QLabel[crisis="true"] { color: #a4161a; }
QFrame[read-aloud="true"] { background: #eef4fb; border-left: 4px solid #0b5cad; }
QFrame[read-aloud="true"] QLabel { background: transparent; }
QFrame[card="true"] { background: white; border: 1px solid #c9d1d9; border-radius: 6px; }
QLabel[heading="2"] { font-size: $h2; font-weight: 600; }
QLabel[caution="true"] { color: #7a3d00; }
QLabel[error="true"] { color: #a4161a; font-weight: 600; }
QLabel[risk="concern"], QLabel[risk="not-screened"] { color: #7a3d00; font-weight: 600; }
QLabel[risk="high"], QLabel[risk="imminent"] { color: #a4161a; font-weight: 700; }
QListWidget#step-list { font-size: $h3; }
QListWidget#step-list::item { padding: 8px 6px; }
QLabel#home-status { color: #1f5f2f; font-weight: 600; }
QLabel#home-status[state="queued"] { color: #7a4b00; }
QLabel#settings-result { color: #1f5f2f; font-weight: 600; }
QFrame#resume-box { background: #fff4e5; border: 1px solid #b35900; border-radius: 4px; }
QPushButton:focus { border: 3px solid #1b1f24; padding: 5px 14px; }
QPushButton[crisis="true"]:focus { padding: 8px 14px; }
QToolButton:focus { border: 3px solid #1b1f24; padding: 3px 8px; }
QCheckBox, QRadioButton { border: 2px solid transparent; border-radius: 3px; padding: 1px 3px; }
QCheckBox:focus, QRadioButton:focus { border: 2px solid #0b5cad; background: #e3eefa; }
QComboBox:focus, QListWidget:focus, QTableView:focus, QPlainTextEdit:focus,
QDateTimeEdit:focus { border: 2px solid #0b5cad; }
""")
# Focus: every control shows where the keyboard is. Filled buttons get a dark ring outside
# their blue or red fill (16:1 against the window), drawn by shrinking the padding so the
# button keeps its size; check boxes and radio buttons a blue frame and a tint.

# Sizes follow the system's font size (a person who enlarged it gets larger text here too),
# but never below 11 pt, which the layouts were designed and checked at.
SMALLEST_BODY_PT = 11.0


def style_sheet(system_pt: float) -> str:
    body = max(system_pt, SMALLEST_BODY_PT)

    def size(factor: float) -> str:
        return f"{body * factor:.1f}pt"

    return _TEMPLATE.substitute(body=size(1), h1=size(18 / 11), h2=size(13 / 11), h3=size(12 / 11))
