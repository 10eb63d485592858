"""docs/routing.md shows the first three for one physician per province or territory at 3 a.m. on
a Sunday, in English and French, as the real command gives them. This keeps the tables current;
INTAKE_WRITE_DOCS=1 rewrites them."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from intake.cli import main
from intake.provinces import CODES

DOC = Path(__file__).resolve().parents[2] / "docs" / "routing.md"
AT = "2026-11-22T03:00"
HEAD = {
    "en": "| | First | Second | Third |\n|---|---|---|---|",
    "fr": "| | Premier | Deuxième | Troisième |\n|---|---|---|---|",
}
STATUS = {
    "en": {"24/7": "open 24/7", "closed": "closed now", "unknown": "hours not confirmed"},
    "fr": {"24/7": "ouvert 24/7", "closed": "fermé", "unknown": "heures non confirmées"},
}


def table(language: str, capsys: pytest.CaptureFixture[str]) -> str:
    rows = [HEAD[language]]
    for code in CODES:
        assert (
            main(["route", "--province", code, "--language", language, "--at", AT, "--json"]) == 0
        )
        data = json.loads(capsys.readouterr().out)
        cells = []
        for rec in data["recommendations"][:3]:
            if "open-24-7" in rec["reasons"]:
                status = "24/7"
            elif rec["open_now"] is False:
                status = "closed"
            else:
                status = "unknown" if rec["open_now"] is None else "24/7"
            cells.append(f"{rec['name']} `{rec['id']}` ({STATUS[language][status]})")
        rows.append(f"| {code} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def test_routing_doc_tables_are_current(capsys: pytest.CaptureFixture[str]) -> None:
    text = DOC.read_text(encoding="utf-8")
    expected = text
    for language in ("en", "fr"):
        tag = f"sunday-3am-{language}"
        expected = re.sub(
            rf"<!-- {tag} -->.*?<!-- /{tag} -->",
            lambda _m, t=tag, lang=language: f"<!-- {t} -->\n{table(lang, capsys)}\n<!-- /{t} -->",
            expected,
            flags=re.DOTALL,
        )
    if os.environ.get("INTAKE_WRITE_DOCS") == "1":
        DOC.write_text(expected, encoding="utf-8")
        return
    assert text == expected, "docs/routing.md is out of date: run with INTAKE_WRITE_DOCS=1"
