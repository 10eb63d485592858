"""The safety floor: no organisation directory file can take emergency services or 9-8-8 out
of the crisis route; a file that tries is refused with a message naming the entry."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from intake.crisis import crisis_plan
from intake.directory.load import SHIPPED, DirectoryError, load_directory
from intake.routing.engine import Router
from tests.routing.helpers import entry, write


def shipped_block(program_id: str) -> str:
    """The shipped entry as an organisation would copy it into its own file."""
    text = SHIPPED.read_text(encoding="utf-8")
    start = text.index(f'[[program]]\nid = "{program_id}"')
    end = text.find("\n[[program]]", start + 1)
    block = text[start : end if end != -1 else len(text)]
    return re.sub(r"\n# =+[^\n]*", "", block) + "\n"


@pytest.mark.parametrize("protected", ["ca-911", "ca-988", "nu-local-emergency"])
def test_disabling_a_crisis_entry_is_refused(tmp_path: Path, protected: str) -> None:
    path = write(tmp_path, f'disable = ["{protected}"]\n')
    with pytest.raises(DirectoryError) as info:
        load_directory(path)
    assert (info.value.file, info.value.entry) == (str(path), protected)
    assert protected in str(info.value)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: b.replace('kind = "crisis-line"', 'kind = "peer-support"'), "kind"),
        (
            lambda b: b.replace(
                'scope = "national"', 'scope = "national"\nlisting = "hide-until-verified"'
            ),
            "listing",
        ),
        (lambda b: b.replace('provinces = ["*"]', 'provinces = ["ON"]'), "eligibility"),
        (lambda b: b.replace('roles = ["anyone"]', 'roles = ["resident"]'), "eligibility"),
        (
            lambda b: b.replace('{ type = "voice", value = "988", status = "verified" },\n', ""),
            "contacts",
        ),
        (
            lambda b: b.replace(
                "always_open = true",
                'weekly = [{ days = ["mon"], open = "09:00", close = "10:00" }]',
            ),
            "hours",
        ),
    ],
)
def test_a_replacement_that_weakens_9_8_8_is_refused(
    tmp_path: Path, change: object, field: str
) -> None:
    body = change(shipped_block("ca-988"))  # type: ignore[operator]
    path = write(tmp_path, body)
    with pytest.raises(DirectoryError) as info:
        load_directory(path)
    assert (info.value.entry, info.value.field) == ("ca-988", field)


def test_replacing_emergency_services_with_a_peer_group_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, entry(id="ca-911", provinces='["*"]'))
    with pytest.raises(DirectoryError) as info:
        load_directory(path)
    assert info.value.entry == "ca-911"


def test_a_faithful_replacement_is_accepted_and_the_route_keeps_both(tmp_path: Path) -> None:
    body = shipped_block("ca-988").replace(
        "It is free and someone will answer.", "It is free, and someone will answer."
    )
    path = write(tmp_path, body)
    programs = load_directory(path)
    plan = crisis_plan(Router(programs), "ON", datetime.now(UTC), role="physician", language="en")
    assert plan.emergency is not None
    assert plan.emergency.program.id == "ca-911"
    assert plan.line_988 is not None
    assert plan.line_988.program.origin == str(path)
