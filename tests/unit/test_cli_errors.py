"""Every refused command line says why, in the person's language, with exit status 2: never a
traceback, never a hang, and `backup` never writes over the store or an existing file."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.cli import main
from intake.directory.load import DirectoryError, read_file
from tests.conftest import PASSPHRASE, make_store

ROOT = Path(__file__).parents[2]
LONG = "x" * 300
ENV = {"en": "C.UTF-8", "fr": "fr_CA.UTF-8"}


def intake(
    *args: str, cwd: Path, stdin: str = "", lang: str = "en"
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "intake", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        check=False,
        env={
            "PATH": "/usr/bin:/bin",
            "LANG": ENV[lang],
            "LANGUAGE": lang,
            "PYTHONPATH": str(ROOT),
        },
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    make_store(tmp_path / "store.db").close()
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "earlier.db").write_text("an earlier backup", encoding="utf-8")
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "program5.toml").write_text("schema = 1\nprogram = 5\n", encoding="utf-8")
    (tmp_path / "deep.toml").write_text(
        "schema = 1\nx = " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8"
    )
    return tmp_path


S = "--store"
CASES = {
    "empty store name": (["db", "check", S, ""], "", "empty"),
    "a folder as the store": (["db", "check", S, "a-folder"], "", "folder"),
    "an over-long store name": (["db", "check", S, LONG], "", "too long"),
    "a FIFO as the store": (["db", "check", S, "fifo"], "", "regular file"),
    "a missing store": (["db", "check", S, "nowhere.db"], "", "There is no file"),
    "a blank supervisor": (["db", "init", S, "new.db", "--supervisor", ""], "", "blank"),
    "a blank account name": (["db", "add-account", S, "store.db", "--name", " "], "", "blank"),
    "a duplicate account name": (
        ["db", "add-account", S, "store.db", "--name", "dr sam okafor"],
        f"{PASSPHRASE}\n",
        "already exists",
    ),
    "an over-long account name": (
        ["db", "add-account", S, "store.db", "--name", LONG],
        "",
        "100",
    ),
    "backup into a missing folder": (["db", "backup", "no/b.db", S, "store.db"], "", "folder"),
    "backup over the store": (["db", "backup", "store.db", S, "store.db"], "", "store itself"),
    "backup over an existing file": (
        ["db", "backup", "earlier.db", S, "store.db"],
        "",
        "--force",
    ),
    "backup to a device": (["db", "backup", "/dev/null", S, "store.db"], "", "regular file"),
    "a date out of range": (["route", "--province", "ON", "--at", "9999-12-31T23:59"], "", "9000"),
}


FRENCH = {
    "empty": "vide",
    "folder": "dossier",
    "too long": "trop long",
    "regular file": "fichier ordinaire",
    "There is no file": "aucun fichier",
    "blank": "vide",
    "already exists": "existe déjà",
    "100": "100",
    "store itself": "coffre lui-même",
    "--force": "--force",
    "9000": "9000",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_refused_with_a_message_not_a_traceback(folder: Path, case: str, lang: str) -> None:
    args, stdin, needle = CASES[case]
    before = (folder / "store.db").read_bytes()
    done = intake(*args, cwd=folder, stdin=stdin, lang=lang)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip()
    assert (needle if lang == "en" else FRENCH[needle]) in done.stderr
    assert (folder / "store.db").read_bytes() == before  # the store is never touched
    assert (folder / "earlier.db").read_text(encoding="utf-8") == "an earlier backup"


@pytest.mark.parametrize("name", ["program5.toml", "deep.toml", "a-folder", "/dev/zero"])
def test_directory_files_that_are_not_directories(folder: Path, name: str) -> None:
    with pytest.raises(DirectoryError) as info:
        read_file(folder / name)
    assert info.value.file == str(folder / name)


# Property tests ---------------------------------------------------------------------------

WORDS = st.one_of(
    st.sampled_from(
        [
            "--store",
            "--name",
            "--role",
            "--supervisor",
            "--dry-run",
            "--force",
            "--province",
            "--at",
            "--json",
            "store.db",
            "",
            "-",
            "..",
            "/dev/null",
            "a-folder",
            "fifo",
            "ON",
            "volunteer",
            LONG,
        ]
    ),
    st.text(max_size=20),
)
COMMANDS = [
    ["db", "init"],
    ["db", "add-account"],
    ["db", "check"],
    ["db", "backup"],
    ["db", "restore"],
    ["db", "accept"],
    ["db", "rekey"],
    ["db", "purge"],
    ["route"],
    ["directory", "check"],
    ["directory", "list"],
]


@contextlib.contextmanager
def inside(folder: Path, stdin: str) -> Iterator[tuple[io.StringIO, io.StringIO]]:
    old = Path.cwd(), sys.stdin, sys.stdout, sys.stderr
    out, err = io.StringIO(), io.StringIO()
    os.chdir(folder)
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(stdin), out, err
    try:
        yield out, err
    finally:
        os.chdir(old[0])
        sys.stdin, sys.stdout, sys.stderr = old[1], old[2], old[3]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    command=st.sampled_from(COMMANDS),
    words=st.lists(WORDS, max_size=6),
    lines=st.lists(st.text(max_size=30).filter(lambda t: "\n" not in t), max_size=3),
)
def test_no_command_line_ever_raises(
    command: list[str], words: list[str], lines: list[str]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "a-folder").mkdir()
        os.mkfifo(folder / "fifo")
        with inside(folder, "".join(line + "\n" for line in lines)) as (_out, err):
            try:
                code = main([*command, *words])
            except SystemExit as exc:  # argparse: usage errors and --help
                code = exc.code if isinstance(exc.code, int) else 2
        assert code in (0, 1, 2)
        if code:
            assert err.getvalue().strip()  # refused: a message, never silence


TOML_VALUES = st.recursive(
    st.one_of(
        st.integers(),
        st.booleans(),
        st.text(max_size=12).map(repr),
        st.sampled_from(['"ca-988"', '"on-x"', '"*"', '"America/Toronto"', '"' + "Z" * 500 + '"']),
    ),
    lambda inner: st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(map(str, xs)) + "]"),
    max_leaves=8,
)
KEYS = st.sampled_from(
    [
        "id",
        "kind",
        "scope",
        "name",
        "text",
        "eligibility",
        "languages",
        "format",
        "cost",
        "hours",
        "contacts",
        "listing",
        "tz",
        "program",
        "disable",
        "schema",
    ]
)


@settings(max_examples=200, deadline=None)
@given(
    top=st.dictionaries(KEYS, TOML_VALUES, max_size=4),
    entries=st.lists(st.dictionaries(KEYS, TOML_VALUES, max_size=8), max_size=3),
    junk=st.binary(max_size=64),
)
def test_no_directory_file_ever_crashes_the_loader(
    top: dict[str, str], entries: list[dict[str, str]], junk: bytes
) -> None:
    body = "schema = 1\n" + "".join(f"{k} = {v}\n" for k, v in top.items() if k != "schema")
    for entry in entries:
        body += "[[program]]\n" + "".join(f"{k} = {v}\n" for k, v in entry.items())
    with tempfile.TemporaryDirectory() as tmp:
        for index, content in enumerate((body.encode(), junk, body.encode() + junk)):
            path = Path(tmp) / f"org{index}.toml"
            path.write_bytes(content)
            located = str(path)
            try:
                read_file(path)
            except DirectoryError as exc:  # the only way a file may be refused
                located = exc.file
            assert located == str(path)


def _no_room() -> None:
    """In the child: any file write past the first kilobyte fails as on a full disk."""
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024, resource.RLIM_INFINITY))


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (["db", "add-account", S, "store.db", "--name", "Kim"], f"{PASSPHRASE}\n135790\n"),
        (["db", "purge", S, "store.db"], f"{PASSPHRASE}\n"),
        (
            ["db", "backup", "b.db", S, "store.db"],
            f"{PASSPHRASE}\nune autre phrase, pour la copie\n",
        ),
    ],
)
def test_a_full_disk_is_reported_as_such(folder: Path, args: list[str], stdin: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "intake", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=folder,
        timeout=60,
        check=False,
        env={
            "PATH": "/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "PYTHONPATH": str(ROOT),
            "PYTHONDONTWRITEBYTECODE": "1",  # a cut .pyc would break later runs
        },
        preexec_fn=_no_room,
    )
    assert "Traceback" not in done.stderr
    assert done.returncode in (1, 2)
    assert "The disk is full" in done.stderr, done.stderr
