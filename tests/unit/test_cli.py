import subprocess
import sys
from pathlib import Path

import pytest

from intake.cli import build_parser, store_from


def test_store_option_beats_environment_beats_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    parser = build_parser()
    assert store_from(parser.parse_args([])) is None  # the GUI then uses the per-user folder
    monkeypatch.setenv("INTAKE_STORE", str(tmp_path / "env.db"))
    assert store_from(parser.parse_args([])) == tmp_path / "env.db"
    assert (
        store_from(parser.parse_args(["--store", str(tmp_path / "opt.db")])) == tmp_path / "opt.db"
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en_CA.UTF-8", "encrypted store file"), ("fr_CA.UTF-8", "coffre chiffré")],
)
def test_help_is_translated_and_needs_no_qt(lang: str, expected: str) -> None:
    code = "import sys; from intake.cli import main\ntry: main(['--help'])\nexcept SystemExit as e: print('exit', e.code, 'PySide6' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"LANG": lang, "PATH": "/usr/bin:/bin"},
    )
    assert expected in result.stdout
    assert result.stdout.strip().endswith("exit 0 False")


def test_bad_arguments_exit_non_zero_without_a_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "intake", "--no-such-option"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "--no-such-option" in result.stderr


def test_starting_the_window_does_not_load_the_subcommands() -> None:
    code = (
        "import sys\nfrom intake.cli import build_parser\nbuild_parser(full=False).parse_args(['--store', 'x'])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('intake.directory', 'intake.routing', "
        "'intake.storage.db', 'phonenumbers', 'sqlcipher3'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
