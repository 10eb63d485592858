"""Run by an installed copy's own Python (tests/packaging): unlock a store through the real
gate, sign in, and check that the main window (or the kiosk) is up, offscreen. Prints what it
reached; exits 0 only if every step worked.

    python drive_window.py STORE SETTINGS main|kiosk   (passphrase and PIN on stdin)
"""

import sys
import time
from pathlib import Path

from intake.settings import SettingsFile
from intake.ui.app import IntakeApplication, create_qapplication


def wait_for(app: object, done: object, what: str) -> None:
    deadline = time.monotonic() + 180  # a busy 2-core CI machine: unlock, sign-in, directory
    while not done():  # type: ignore[operator]
        if time.monotonic() > deadline:
            print(f"timed out waiting for {what}")
            raise SystemExit(1)
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.01)
    print(what)


def main() -> None:
    store, settings, mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    passphrase, pin = sys.stdin.readline().rstrip("\n"), sys.stdin.readline().rstrip("\n")
    app = create_qapplication(sys.argv[:1])
    controller = IntakeApplication(store, SettingsFile(settings), kiosk=mode == "kiosk")
    controller.start()
    wait_for(app, controller.gate.isVisible, "gate shown")
    controller.gate.unlock.submitted.emit(passphrase)
    wait_for(app, lambda: controller.accounts, "unlocked")
    controller.gate.signin.submitted.emit(controller.accounts[0].id, pin)
    if mode == "kiosk":
        wait_for(app, lambda: controller.kiosk_window is not None, "kiosk shown")
    else:
        wait_for(app, lambda: controller.main_window is not None, "main window shown")
        window = controller.main_window
        assert window is not None
        window.new_call()
        wait_for(app, lambda: window.call_page is not None, "call started")
        window.close()  # keeps the call as a draft
    controller.shutdown()
    print("ok")


if __name__ == "__main__":
    main()
