"""The caller panel (tests/routing/caller_panel.toml) run through `intake route --json`.

Each caller is routed by the command's own entry point, in-process (the same code path as the
installed `intake` command), and checked against what a volunteer expects: the first
recommendation, what must be in the first three, and what must not appear at all.
"""

from __future__ import annotations

import json
import shlex
import tomllib
from pathlib import Path
from typing import Any

import pytest

from intake.cli import main

PANEL = Path(__file__).with_name("caller_panel.toml")
CALLERS: list[dict[str, Any]] = tomllib.loads(PANEL.read_text(encoding="utf-8"))["caller"]


def route(args: str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code = main(["route", *shlex.split(args), "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def test_panel_covers_what_the_issue_asks() -> None:
    assert len(CALLERS) >= 80
    args = [shlex.split(c["args"]) for c in CALLERS]
    provinces = {a[a.index("--province") + 1] for a in args}
    assert provinces == {
        "AB",
        "BC",
        "MB",
        "NB",
        "NL",
        "NS",
        "NT",
        "NU",
        "ON",
        "PE",
        "QC",
        "SK",
        "YT",
    }
    roles = {a[a.index("--role") + 1] if "--role" in a else "physician" for a in args}
    assert roles >= {"physician", "resident", "student", "retired", "family"}
    risks = {a[a.index("--risk") + 1] if "--risk" in a else "none" for a in args}
    assert risks == {"none", "concern", "high", "imminent"}
    flat = {word for a in args for word in a}
    assert {"--indigenous", "--veteran", "--about-colleague", "--about-family", "--format"} <= flat
    assert any("--language" in a and "fr" in a for a in args)
    for caller in CALLERS:
        assert caller["why"].strip(), caller["name"]
        assert len(caller.get("top3", [])) <= 3, caller["name"]


def _runs() -> list[tuple[dict[str, Any], str]]:
    """Each caller as written; a caller with `languages` once per language (the language
    appended last, so it overrides one in `args`)."""
    runs = []
    for caller in CALLERS:
        languages = caller.get("languages")
        if languages is None:
            runs.append((caller, caller["args"]))
        else:
            runs += [(caller, f"{caller['args']} --language {language}") for language in languages]
    return runs


RUNS = _runs()


@pytest.mark.parametrize(
    ("caller", "args"),
    RUNS,
    ids=[c["name"] + (f" ({a.rsplit(' ', 1)[-1]})" if "languages" in c else "") for c, a in RUNS],
)
def test_caller(caller: dict[str, Any], args: str, capsys: pytest.CaptureFixture[str]) -> None:
    data = route(args, capsys)
    ids = [rec["id"] for rec in data["recommendations"]]
    why = caller["why"]
    assert ids, f"nothing recommended. Expected {caller['first']}: {why}"
    assert ids[0] == caller["first"], f"first is {ids[:3]}; expected {caller['first']}: {why}"
    for wanted in caller.get("top3", []):
        assert wanted in ids[:3], f"{wanted} not in the first three {ids[:3]}: {why}"
    order = [ids.index(wanted) for wanted in caller.get("order", []) if wanted in ids]
    assert len(order) == len(caller.get("order", [])), f"{caller['order']} not all in {ids}: {why}"
    assert order == sorted(order), f"{caller['order']} out of order in {ids}: {why}"
    for unwanted in caller.get("absent", []):
        assert unwanted not in ids, f"{unwanted} must not appear: {why}"
    by_id = {rec["id"]: rec for rec in data["recommendations"]}
    for program in caller.get("open", []):
        assert by_id[program]["open_now"] is True, f"{program} should be open: {why}"
    for program in caller.get("closed", []):
        assert by_id[program]["open_now"] is False, f"{program} should be closed: {why}"
        assert by_id[program]["next_open"], f"{program} should say when it opens: {why}"
    if "crisis" in caller:
        assert data["crisis"] is caller["crisis"]
