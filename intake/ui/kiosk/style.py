"""Kiosk look: large type, large targets, high contrast (dark text on white, white on dark blue).

Scoped to the kiosk window so the phone-line windows keep their denser layout. Colours pass
WCAG AA for normal text: #1b1f24 on white 16:1, white on #0b4f94 8:1, white on #a4161a 7:1.
"""

KIOSK_STYLE = """
QWidget#kiosk-window { background: white; }
QWidget#kiosk-window QScrollArea, QWidget#kiosk-window QWidget[screen-content="true"] {
    background: white;
}
QWidget#kiosk-window QWidget { font-size: 18pt; color: #1b1f24; }
QWidget#kiosk-header { background: #e8edf2; border-bottom: 2px solid #8c959f; min-height: 72px; }
QWidget#kiosk-window QLabel#kiosk-app-name { font-size: 18pt; font-weight: 600; }
QWidget#kiosk-window QLabel[heading="1"] { font-size: 28pt; font-weight: 700; margin: 8px 0; }
QWidget#kiosk-window QLabel[heading="2"] { font-size: 21pt; font-weight: 700; }
QWidget#kiosk-window QLabel[hint="true"] { color: #3d4650; font-size: 17pt; }
QWidget#kiosk-window QPushButton {
    min-height: 64px; min-width: 64px; padding: 10px 24px; font-size: 19pt; font-weight: 600;
    border-radius: 8px; border: 2px solid #0b4f94; background: #0b4f94; color: white;
}
QWidget#kiosk-window QPushButton:focus { border: 4px solid #f2b600; }
QWidget#kiosk-window QPushButton[secondary="true"] { background: white; color: #0b4f94; }
QWidget#kiosk-window QPushButton[big="true"] { min-height: 110px; font-size: 26pt; }
QWidget#kiosk-window QPushButton[choice="true"] {
    background: white; color: #1b1f24; border: 2px solid #57606a; text-align: left;
}
QWidget#kiosk-window QPushButton[choice="true"]:checked { background: #dbe9f7; border: 4px solid #0b4f94; }
QWidget#kiosk-window QPushButton[rating="true"] {
    background: white; color: #1b1f24; border: 2px solid #57606a; min-width: 88px; min-height: 88px;
}
QWidget#kiosk-window QPushButton[rating="true"]:checked { background: #0b4f94; color: white; }
QWidget#kiosk-window QLabel#choice-title { font-size: 20pt; font-weight: 600; background: transparent; }
QWidget#kiosk-window QLabel#choice-detail { font-size: 15pt; color: #3d4650; background: transparent; }
QWidget#kiosk-window QPushButton#kiosk-help-now {
    background: #a4161a; border-color: #a4161a; color: white; min-height: 56px; font-size: 19pt;
}
QWidget#kiosk-window QFrame[card="true"] { background: #f6f8fa; border: 2px solid #c9d1d9; border-radius: 10px; }
QWidget#kiosk-window QFrame[card="true"] QLabel { background: transparent; }
QWidget#kiosk-window QFrame[urgent="true"] { background: #fdecea; border: 3px solid #a4161a; }
QWidget#kiosk-window QLabel#kiosk-staff-alert { background: #a4161a; color: #ffffff; border: none; font-size: 16px; font-weight: 700; padding: 2px 8px; }
QWidget#kiosk-window QLabel#kiosk-crisis-staff-text { font-size: 22pt; font-weight: 700; color: #7a0e11; }
QWidget#kiosk-window QFrame[guidance="true"] { background: #eef6ee; border-color: #2f6f3e; }
QWidget#kiosk-window QLabel#guidance-section { font-weight: 700; margin-top: 6px; }
QWidget#kiosk-window QLabel#card-contact, QWidget#kiosk-window QLabel#crisis-entry-contact { font-weight: 700; font-size: 20pt; }
QWidget#kiosk-window QLabel[caution="true"] { color: #7a3d00; font-size: 15pt; }
QWidget#kiosk-window QLabel[error="true"] { color: #a4161a; font-weight: 600; }
QWidget#kiosk-window QLabel[confirmation="true"] { color: #1f5f2f; font-weight: 700; }
QWidget#kiosk-window QLineEdit { font-size: 22pt; min-height: 56px; padding: 6px 12px; border: 2px solid #57606a; }
QWidget#kiosk-window QLineEdit:focus { border: 3px solid #0b4f94; }
QWidget#kiosk-window QCheckBox { font-size: 18pt; spacing: 14px; min-height: 48px; }
QWidget#kiosk-window QCheckBox::indicator { width: 40px; height: 40px; }
QWidget#kiosk-window QComboBox { min-height: 56px; font-size: 20pt; }
QWidget#kiosk-window QLabel#kiosk-countdown { font-size: 22pt; }
QWidget#kiosk-window QScrollBar:vertical { width: 28px; }
QWidget#kiosk-window QPushButton[key="true"] {
    min-height: 52px; padding: 4px 8px; font-size: 22pt; background: white; color: #1b1f24;
    border: 2px solid #57606a;
}
QWidget#kiosk-window QPushButton[choice="true"]:focus,
QWidget#kiosk-window QPushButton[rating="true"]:focus,
QWidget#kiosk-window QPushButton[secondary="true"]:focus { border: 4px solid #1b1f24; }
QWidget#kiosk-window QPushButton#kiosk-help-now:focus { border: 4px solid #1b1f24; }
"""
