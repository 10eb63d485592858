"""A PIN check as the lock screen runs it, against the scrypt it cannot avoid, side by side.

    .venv/bin/python tests/bench/bench_pin.py [--quick]

`check_pin` on an encrypted store (read the account, scrypt, compare, then write the failure
count and audit in one transaction under the store's lock) against `hashlib.scrypt` alone with
the same parameters and PIN, alternating one of each so a busy machine slows both alike. A right
PIN and a wrong one (a fresh account each time, so no lockout is reached). Goal (issue 12): the
atomic, race-free check costs no more than the scrypt it wraps by a few milliseconds: scrypt
dominates. Not collected by pytest; --quick runs 3 of each (the test suite runs it).
"""

from __future__ import annotations

import hashlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

from intake.pins import SCRYPT_N, SCRYPT_P, SCRYPT_R, hash_pin
from intake.storage.account_store import check_pin, insert_account
from intake.storage.db import create_store

PASSPHRASE = "benchmark passphrase, not a secret"
RIGHT, WRONG = "482916", "735102"
TRIES, QUICK_TRIES = 30, 3


def bare_scrypt(pin: str, salt: bytes) -> float:
    started = time.perf_counter()
    hashlib.scrypt(pin.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return time.perf_counter() - started


def main() -> int:
    tries = QUICK_TRIES if "--quick" in sys.argv[1:] else TRIES
    salt = b"0123456789abcdef"
    with tempfile.TemporaryDirectory(prefix="intake-bench-pin-") as folder:
        accounts: list[str] = []

        def add(conn: object) -> None:
            for index in range(tries + 1):
                accounts.append(
                    insert_account(conn, f"Bench {index}", "supervisor", hash_pin(RIGHT))
                )

        store = create_store(Path(folder) / "store.db", PASSPHRASE, initialize=add)
        try:
            right, wrong, bare = [], [], []
            for index in range(tries):
                started = time.perf_counter()
                assert check_pin(store, accounts[0], RIGHT) is not None
                right.append(time.perf_counter() - started)
                bare.append(bare_scrypt(RIGHT, salt))
                started = time.perf_counter()
                assert check_pin(store, accounts[index + 1], WRONG) is None
                wrong.append(time.perf_counter() - started)
                bare.append(bare_scrypt(WRONG, salt))
        finally:
            store.close()
    base = statistics.median(bare)
    print(f"PIN check, {tries} of each, alternating (encrypted store, FULL sync)")
    for label, times in (("right PIN", right), ("wrong PIN", wrong)):
        median = statistics.median(times)
        print(
            f"  {label:9}  median {median * 1000:7.1f} ms   scrypt alone {base * 1000:6.1f} ms   "
            f"ratio {median / base:.2f}x   (the check's own part {1000 * (median - base):.1f} ms)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
