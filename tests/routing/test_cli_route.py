"""`intake route` and `intake directory`: the public command-line contract, run as a person would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.routing.helpers import entry, write


def intake(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "intake", *args],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", **(env or {})},
    )


def test_route_json_contract() -> None:
    done = intake(
        "route",
        "--province",
        "on",
        "--role",
        "resident",
        "--risk",
        "high",
        "--at",
        "2026-11-22T03:00:00-05:00",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["crisis"] is True
    assert data["risk"] == "high"
    first = data["recommendations"][0]
    assert first["id"] == "ca-988"
    assert set(first) >= {
        "id",
        "name",
        "kind",
        "open_now",
        "next_open",
        "contacts",
        "reasons",
        "warnings",
    }
    assert first["contacts"][0] == {"type": "voice", "value": "988", "status": "verified"}
    assert all(
        isinstance(r, str)
        for rec in data["recommendations"]
        for r in rec["reasons"] + rec["warnings"]
    )
    php = next(r for r in data["recommendations"] if r["id"] == "on-oma-php")
    assert php["open_now"] is False
    assert php["next_open"] == "2026-11-23T08:45:00-05:00"
    assert {"id": "mb-cpsm-php", "reason": "outside-region"} in data["excluded"]
    assert all(set(e) == {"id", "reason"} for e in data["excluded"])


def test_route_text_in_french() -> None:
    done = intake("route", "--province", "QC", "--language", "fr", "--at", "2026-11-24T10:00")
    assert done.returncode == 0, done.stderr
    assert "Programme d’aide aux médecins du Québec (PAMQ) [qc-pamq]" in done.stdout
    assert "Pourquoi\u00a0:" in done.stdout
    assert "[source tierce seulement]" in done.stdout
    assert "Non vérifié\u00a0: heures" in done.stdout


def test_naive_time_is_the_provinces_local_time() -> None:
    done = intake(
        "route",
        "--province",
        "NL",
        "--topic",
        "complaint",
        "--at",
        "2026-11-23T08:00",
        "--json",
    )
    cmpa = next(r for r in json.loads(done.stdout)["recommendations"] if r["id"] == "ca-cmpa")
    # 08:00 in St. John's is 06:30 in Toronto: the CMPA opens at 08:30 Toronto = 10:00 St. John's.
    assert cmpa["open_now"] is False
    assert cmpa["next_open"] == "2026-11-23T10:00:00-03:30"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["route"], "--province"),
        (["route", "--province", "ZZ"], "not a province or territory code"),
        (["route", "--province", "ON", "--risk", "extreme"], "invalid choice"),
        (["route", "--province", "ON", "--at", "tomorrow"], "not an ISO 8601"),
        (["directory"], "required"),
    ],
)
def test_bad_arguments_give_a_message_and_exit_2(args: list[str], message: str) -> None:
    done = intake(*args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_directory_check_shipped_and_a_good_file(tmp_path: Path) -> None:
    done = intake("directory", "check")
    assert done.returncode == 0
    assert "no problems found" in done.stdout
    good = write(tmp_path, entry(id="on-local-peers"))
    assert intake("directory", "check", str(good)).returncode == 0


def test_directory_check_names_the_mistake_without_a_traceback(tmp_path: Path) -> None:
    bad = write(tmp_path, entry(phone="416-555-0199"))
    done = intake("directory", "check", str(bad))
    assert done.returncode == 1
    assert f"{bad}: entry 'on-example', field 'contacts[0].value': tagged toll-free" in done.stderr
    assert "Traceback" not in done.stderr
    french = intake("directory", "check", str(bad), env={"LANG": "fr_CA.UTF-8"})
    assert french.stderr.startswith("intake\u00a0: ")


def test_a_broken_override_stops_routing_with_a_clear_message(tmp_path: Path) -> None:
    bad = write(tmp_path, "[[program]]\nid = 3\n")
    done = intake("route", "--province", "ON", env={"INTAKE_DIRECTORY": str(bad)})
    assert done.returncode == 1
    assert "field 'id'" in done.stderr
    assert "Traceback" not in done.stderr


def test_override_file_is_used_by_route_and_list(tmp_path: Path) -> None:
    org = write(tmp_path, entry(id="on-hospital-peers"))
    listed = intake("directory", "list", "--province", "ON", "--directory", str(org), "--json")
    rows = {row["id"]: row for row in json.loads(listed.stdout)}
    assert "on-hospital-peers" in rows
    assert "ca-988" in rows
    assert "ab-pfsp" not in rows
    assert rows["qc-pamq" if "qc-pamq" in rows else "on-oma-php"]["statuses"]["hours"] in {
        "third-party",
        "unverified",
    }
    routed = intake("route", "--province", "ON", "--json", env={"INTAKE_DIRECTORY": str(org)})
    assert "on-hospital-peers" in [r["id"] for r in json.loads(routed.stdout)["recommendations"]]


def test_directory_list_text_marks_hidden_entries(tmp_path: Path) -> None:
    hidden = entry(id="on-not-yet").replace(
        'scope = "local"', 'scope = "local"\nlisting = "hide-until-verified"'
    )
    done = intake("directory", "list", "--directory", str(write(tmp_path, hidden)))
    assert done.returncode == 0
    line = next(line for line in done.stdout.splitlines() if line.startswith("on-not-yet"))
    assert "(hidden until verified)" in line
