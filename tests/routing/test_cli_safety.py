"""`intake safety check` and `intake safety tier`: an organisation tests its protocol, run as a
person would; every mistake is a message and exit status 2, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from intake.safety import SHIPPED


def intake(*args: str, lang: str = "C.UTF-8") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "intake", "safety", *args],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "LANG": lang},
    )


def test_check_accepts_the_shipped_screen() -> None:
    done = intake("check", str(SHIPPED))
    assert done.returncode == 0, done.stderr
    assert "no problems found" in done.stdout


def test_check_refuses_a_broken_screen_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "screen.toml"
    path.write_text(
        '[[question]]\nid = "q"\nsignal = "desire"\nask = { en = "Q?", fr = "Q ?" }\n'
        'ask_about_other = { en = "Q?", fr = "Q ?" }\n'
        '[[rule]]\ntier = "high"\nwhen = { q = ["maybe"] }\nwhy = { en = "a", fr = "b" }\n',
        encoding="utf-8",
    )
    for target in (path, tmp_path / "missing.toml"):
        done = intake("check", str(target))
        assert done.returncode == 2
        assert done.stderr.startswith("intake: ")
        assert "Traceback" not in done.stderr


def test_tier_explains_itself_as_json() -> None:
    done = intake("tier", "--answer", "thoughts=no", "--answer", "plan=yes", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["tier"] == "high"
    assert data["reasons"]
    assert data["opens_crisis"] is False  # timing and means not asked yet
    assert "means" in data["not_asked"]


def test_tier_with_no_answer_is_not_screened() -> None:
    done = intake("tier", "--json")
    assert json.loads(done.stdout)["tier"] == "not-screened"


def test_tier_at_a_kiosk_asks_only_the_kiosk_questions() -> None:
    done = intake("tier", "--kiosk", "--answer", "timing=declined", "--answer", "means=yes")
    assert done.returncode == 0, done.stderr
    assert "Imminent risk" in done.stdout
    refused = intake("tier", "--kiosk", "--answer", "hopeless=yes")
    assert refused.returncode == 2
    assert "at a kiosk" in refused.stderr


def test_tier_speaks_french() -> None:
    done = intake("tier", "--answer", "in_progress=yes", lang="fr_CA.UTF-8")
    assert done.returncode == 0, done.stderr
    assert "Risque imminent" in done.stdout


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        ("plan=maybe", "must be one of"),
        ("plan", "ID=VALUE"),
        ("mood=yes", "not a yes-no question"),
        ("buffers=yes", "not a yes-no question"),
    ],
)
def test_tier_refuses_bad_answers_with_a_message(answer: str, problem: str) -> None:
    done = intake("tier", "--answer", answer)
    assert done.returncode == 2
    assert problem in done.stderr
    assert "Traceback" not in done.stderr


def test_an_answer_given_twice_differently_is_refused() -> None:
    done = intake("tier", "--answer", "plan=yes", "--answer", "plan=no")
    assert done.returncode == 2
    assert "twice" in done.stderr
