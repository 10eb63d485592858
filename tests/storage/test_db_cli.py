# One store only (the SQLCipher file): `intake db` on a station's file (on the server:
#   test_shared_cli.py).
"""`intake db …` as the person who looks after a workstation runs it: passphrases on stdin."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
GOOD = "a long enough passphrase"


def db(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "intake", "db", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", **(env or {})},
    )


def test_init_check_backup_rekey_restore_purge(tmp_path: Path) -> None:
    store = tmp_path / "data" / "store.db"
    done = db("init", "--store", str(store), "--supervisor", "Sam Lee", stdin=f"{GOOD}\n246810\n")
    assert done.returncode == 0, done.stderr
    assert store.stat().st_mode & 0o077 == 0
    assert db("check", "--store", str(store), stdin=f"{GOOD}\n").returncode == 0
    backup = tmp_path / "backup.db"
    done = db("backup", str(backup), "--store", str(store), stdin=f"{GOOD}\nbackup phrase, long\n")
    assert done.returncode == 0, done.stderr
    done = db("rekey", "--store", str(store), stdin=f"{GOOD}\nthe new store passphrase\n")
    assert done.returncode == 0, done.stderr
    assert db("check", "--store", str(store), stdin=f"{GOOD}\n").returncode == 1
    assert db("check", "--store", str(store), stdin="the new store passphrase\n").returncode == 0
    done = db("purge", "--dry-run", "--store", str(store), stdin="the new store passphrase\n")
    assert done.returncode == 0
    assert "Dry run" in done.stdout
    done = db(
        "restore",
        str(backup),
        "--store",
        str(store),
        stdin="backup phrase, long\nrestored store passphrase\n",
    )
    assert done.returncode == 0, done.stderr
    assert (
        db(
            "check", stdin="restored store passphrase\n", env={"INTAKE_STORE": str(store)}
        ).returncode
        == 0
    )


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["check"], "wrong but long passphrase\n", "That passphrase does not open this store"),
        (["check"], "", "Expected one more line on standard input"),
        (["init", "--supervisor", "X"], "short\n1234\n", "at least 12 characters"),
        (["init", "--supervisor", "X"], f"{GOOD}\n12\n", "The PIN needs 4 to 12 digits"),
        (["backup", "DEST"], f"{GOOD}\nshort\n", "at least 12 characters"),
    ],
)
def test_failures_are_clear_and_non_zero(
    tmp_path: Path, args: list[str], stdin: str, message: str
) -> None:
    store = tmp_path / "store.db"
    if args[0] != "init":
        assert (
            db(
                "init", "--store", str(store), "--supervisor", "Sam", stdin=f"{GOOD}\n246810\n"
            ).returncode
            == 0
        )
    args = [str(tmp_path / "b.db") if a == "DEST" else a for a in args]
    done = db(*args, "--store", str(store), stdin=stdin)
    # 1: the store refused (wrong passphrase); 2: what was given cannot be used.
    assert done.returncode == (1 if "does not open" in message else 2)
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_a_damaged_store_is_reported_with_the_way_out(tmp_path: Path) -> None:
    store = tmp_path / "store.db"
    assert (
        db(
            "init", "--store", str(store), "--supervisor", "Sam", stdin=f"{GOOD}\n246810\n"
        ).returncode
        == 0
    )
    data = bytearray(store.read_bytes())
    data[3 * 4096 + 200] ^= 0x10
    store.write_bytes(bytes(data))
    done = db("check", "--store", str(store), stdin=f"{GOOD}\n")
    assert done.returncode == 1
    assert "intake db restore" in done.stderr
    assert store.read_bytes() == bytes(data)


def test_init_never_replaces_an_existing_store(tmp_path: Path) -> None:
    store = tmp_path / "store.db"
    assert (
        db(
            "init", "--store", str(store), "--supervisor", "Sam", stdin=f"{GOOD}\n246810\n"
        ).returncode
        == 0
    )
    before = store.read_bytes()
    done = db(
        "init",
        "--store",
        str(store),
        "--supervisor",
        "Kim",
        stdin="another good passphrase\n135790\n",
    )
    assert done.returncode == 1
    assert "already exists" in done.stderr
    assert store.read_bytes() == before


def test_add_account_lets_a_volunteer_sign_in(tmp_path: Path) -> None:
    from intake.accounts import Role
    from intake.storage.account_store import check_pin, list_accounts
    from intake.storage.db import open_store

    store_path = tmp_path / "store.db"
    assert (
        db(
            "init", "--store", str(store_path), "--supervisor", "Sam Lee", stdin=f"{GOOD}\n246810\n"
        ).returncode
        == 0
    )
    done = db(
        "add-account", "--store", str(store_path), "--name", "Vi Volunteer", stdin=f"{GOOD}\n1357\n"
    )
    assert done.returncode == 0, done.stderr
    bad = db("add-account", "--store", str(store_path), "--name", "X", stdin=f"{GOOD}\n12\n")
    assert bad.returncode != 0
    assert "Traceback" not in bad.stderr
    store = open_store(store_path, GOOD)
    try:
        volunteer = next(a for a in list_accounts(store) if a.display_name == "Vi Volunteer")
        assert volunteer.role is Role.VOLUNTEER
        assert check_pin(store, volunteer.id, "1357") is not None
        assert ("create", volunteer.id) in {
            (r[0], r[1]) for r in store.query("SELECT action, record FROM audit")
        }
        assert "1357" not in repr(store.query("SELECT * FROM audit"))
    finally:
        store.close()
