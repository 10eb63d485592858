"""One station trying wrong PINs, for the two-process lockout test.

Run as a child process: `python -m tests.storage.pin_try_worker DSN ACCOUNT TRIES START`.
Waits for the START file, then tries TRIES wrong PINs on ACCOUNT as fast as it can; prints one
JSON line: how many were refused as wrong and how many as locked."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from intake.storage.errors import AccountLocked
from intake.storage.pg.store import open_shared_store
from tests.conftest import PASSPHRASE


def main() -> None:
    dsn, account, tries, start = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
    store = open_shared_store(dsn, PASSPHRASE)
    outcomes = {"wrong": 0, "locked": 0, "right": 0}
    while not start.exists():
        time.sleep(0.01)
    for _ in range(tries):
        try:
            right = store.check_pin(account, "000000") is not None
        except AccountLocked:
            outcomes["locked"] += 1
        else:
            outcomes["right" if right else "wrong"] += 1
    store.close()
    print(json.dumps(outcomes))


if __name__ == "__main__":
    main()
