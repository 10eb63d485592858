"""The shipped directory and the rules every directory file must follow."""

from __future__ import annotations

from pathlib import Path

import pytest

from intake.directory.load import SHIPPED, DirectoryError, load_directory, read_file
from intake.provinces import CODES
from tests.routing.helpers import entry, write

# Every id in ../shared/reference/directory-facts.md (plus the resources added from its notes).
FACT_SHEET_IDS = {
    "ca-988",
    "ca-911",
    "ca-hope-for-wellness",
    "ca-kids-help-phone",
    "ca-vac-assistance",
    "ca-osiss",
    "ca-cmha",
    "ca-cma-wsl",
    "ca-cma-wellness-connection",
    "ca-cfms-safe-spaces",
    "ab-pfsp",
    "bc-php",
    "bc-peer-support",
    "mb-pfsp",
    "mb-peer-support",
    "nb-nbms",
    "nl-nlma",
    "ns-psp",
    "nt-nwtma",
    "on-oma-php",
    "on-oma-peer-support",
    "on-doctors-lounge",
    "on-paro",
    "pe-php",
    "pe-p2p",
    "qc-pamq",
    "sk-sma-php",
    "yt-yma",
    "nu-nunavut",
}


@pytest.fixture(scope="module")
def shipped() -> dict[str, object]:
    return {p.id: p for p in load_directory()}


def test_every_fact_sheet_entry_is_shipped(shipped: dict[str, object]) -> None:
    assert set(shipped) >= FACT_SHEET_IDS


def test_every_province_and_territory_has_an_entry_of_its_own(shipped: dict[str, object]) -> None:
    covered = {code for p in load_directory() for code in p.provinces}
    assert set(CODES) <= covered


def test_entries_are_bilingual_and_facts_carry_provenance() -> None:
    for program in load_directory():
        for text in (program.name.text, program.description, program.serves, program.referral):
            assert text.en, program.id
            assert text.fr, program.id
            assert text.en != text.fr or program.id in {"ca-988"}, program.id
        for field, provenance in program.facts().items():
            assert provenance.status in {"verified", "third-party", "unverified"}, (
                program.id,
                field,
            )
            assert provenance.checked.year >= 2026, (program.id, field)
            if provenance.status != "unverified":
                assert provenance.source, (program.id, field)


def test_statuses_follow_the_sources(shipped: dict) -> None:
    # Named by the CMA's list: shown, as third-party facts (directory-corrections.md).
    for named in ("ca-cfms-safe-spaces", "nt-nwtma", "nb-nbms", "nl-nlma", "yt-yma"):
        assert shipped[named].listing == "show"
        assert shipped[named].eligibility.provenance.status == "third-party"
    assert "FEMC" in shipped["ca-cfms-safe-spaces"].name.text.fr
    assert shipped["mb-cpsm-php"].kind == "regulatory"
    pamq = shipped["qc-pamq"]
    assert {c.provenance.status for c in pamq.contacts if c.type == "voice"} == {"third-party"}
    assert pamq.name.fr_official
    assert not shipped["ab-pfsp"].name.fr_official  # no official French name known
    assert shipped["ab-pfsp"].languages.provenance.status == "unverified"


def test_phone_numbers_are_parsed_typed_and_formatted(shipped: dict) -> None:
    pfsp = {c.value: c for c in shipped["ab-pfsp"].contacts}
    toll_free = pfsp["1-877-767-4637"]
    assert toll_free.dial == "+18777674637"
    assert toll_free.display("en") == "1-877-767-4637"
    assert toll_free.display("fr") == "1 877 767-4637"
    international = pfsp["403-930-0529"]
    assert international.tags == {"international", "collect"}
    assert international.display("en") == "+1 403-930-0529"
    [voice_988, text_988] = shipped["ca-988"].contacts
    assert (voice_988.type, voice_988.dial, text_988.type) == ("voice", "988", "text")
    khp_text = next(c for c in shipped["ca-kids-help-phone"].contacts if c.type == "text")
    assert (khp_text.dial, khp_text.keyword) == ("686868", "CONNECT")


def test_nunavut_is_never_left_with_911_alone(shipped: dict) -> None:
    assert "NU" not in shipped["ca-911"].provinces
    local = shipped["nu-local-emergency"]
    assert local.kind == "emergency"
    assert "NU" in local.provinces


@pytest.mark.parametrize(
    ("body", "entry_id", "field", "problem"),
    [
        (entry(id="Bad Id"), "Bad Id", "id", "must look like"),
        (entry() + entry(), "on-example", "id", "appears twice"),
        (
            entry().replace('kind = "peer-support"', 'kind = "therapy"'),
            "on-example",
            "kind",
            "not one of",
        ),
        (
            entry().replace('fr = "Des pairs écoutent." ', 'fr = "" '),
            "on-example",
            "text.description.fr",
            "both languages",
        ),
        (
            entry().replace(', fr = "Appelez-les."', ""),
            "on-example",
            "text.referral.fr",
            "both languages",
        ),
        (
            entry(provinces='["ON", "XX"]'),
            "on-example",
            "eligibility.provinces",
            "'XX' is not one of",
        ),
        (entry(phone="1-800-555-01"), "on-example", "contacts[0].value", "not"),
        (entry(phone="416-555-0199"), "on-example", "contacts[0].value", "tagged toll-free"),
        (entry(phone="9999"), "on-example", "contacts[0].value", "short number"),
        (
            entry(hours='{ tz = "UTC-5", always_open = true, status = "verified" }'),
            "on-example",
            "hours.tz",
            "fixed offset",
        ),
        (
            entry(hours='{ tz = "America/Atlantis", always_open = true, status = "verified" }'),
            "on-example",
            "hours.tz",
            "not an IANA",
        ),
        (
            entry(
                hours='{ tz = "America/Toronto", weekly = [ { days = ["mon"], open = "9:00", close = "17:00" } ], status = "verified" }'
            ),
            "on-example",
            "hours.weekly[0].open",
            "24-hour",
        ),
        (
            entry(
                hours='{ tz = "America/Toronto", weekly = [ { days = ["funday"], open = "09:00", close = "17:00" } ], status = "verified" }'
            ),
            "on-example",
            "hours.weekly[0].days",
            "not one of",
        ),
        (
            entry(
                hours='{ tz = "America/Toronto", sessions = [ { weekday = "wed", nth = [6], start = "19:00", end = "20:00" } ], status = "verified" }'
            ),
            "on-example",
            "hours.sessions[0].nth",
            "1 to 5",
        ),
        (
            entry(hours='{ tz = "America/Toronto", always_open = true, status = "sure" }'),
            "on-example",
            "hours.status",
            "not one of",
        ),
        (
            entry().replace('source = "example.org/peer"\n', ""),
            "on-example",
            "name.source",
            "required unless",
        ),
        (
            entry().replace("checked = 2026-11-01", 'checked = "last week"'),
            "on-example",
            "name.checked",
            "must be a date",
        ),
        (
            entry().replace('cost = { value = "free"', 'cost = { value = "cheap"'),
            "on-example",
            "cost.value",
            "must be one of",
        ),
        (
            entry().replace('scope = "local"', 'scope = "local"\nwebsite = "x"'),
            "on-example",
            "website",
            "not a known field",
        ),
    ],
)
def test_each_mistake_names_the_file_the_entry_and_the_field(
    tmp_path: Path, body: str, entry_id: str, field: str, problem: str
) -> None:
    path = write(tmp_path, body)
    with pytest.raises(DirectoryError) as info:
        read_file(path)
    error = info.value
    assert (error.file, error.entry, error.field) == (str(path), entry_id, field)
    assert problem in error.problem
    assert str(path) in str(error)
    assert entry_id in str(error)
    assert field in str(error)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("schema = 1\n[[program]\n", "not valid TOML"),
        ("schema = 2\n", "must be 1"),
        ("schema = 1\nextra = 3\n", "not a known"),
    ],
)
def test_file_level_mistakes(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "org.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DirectoryError, match=problem):
        read_file(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DirectoryError, match="file not found"):
        read_file(tmp_path / "nowhere.toml")


def test_override_replaces_adds_and_disables(tmp_path: Path) -> None:
    replacement = entry(id="ab-pfsp", provinces='["AB"]')
    added = entry(id="on-hospital-peers")
    path = write(tmp_path, 'disable = ["on-doctors-lounge"]\n' + replacement + added)
    merged = {p.id: p for p in load_directory(path)}
    shipped = {p.id: p for p in load_directory()}
    assert merged["ab-pfsp"].name.text.en == "Example Peer Line"  # replaced whole
    assert merged["ab-pfsp"].origin == str(path)
    assert "on-hospital-peers" in merged  # added
    assert "on-doctors-lounge" not in merged  # disabled
    assert set(merged) == set(shipped) - {"on-doctors-lounge"} | {"on-hospital-peers"}
    assert list(merged)[-1] == "on-hospital-peers"  # new entries come after the shipped ones


def test_disabling_an_unknown_id_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, 'disable = ["on-nothing"]\n')
    with pytest.raises(DirectoryError) as info:
        load_directory(path)
    assert (info.value.entry, info.value.field) == ("on-nothing", "disable")


def test_the_shipped_file_is_the_one_in_resources() -> None:
    assert SHIPPED.name == "directory.toml"
    assert SHIPPED.parent.name == "resources"


def _hours(body: str) -> str:
    return '{ tz = "America/Toronto", ' + body + ', status = "verified" }'


MORE_MISTAKES = [
    (entry().replace('scope = "local"', 'scope = "regional"'), "scope", "not one of"),
    (
        entry().replace('scope = "local"', 'scope = "local"\nlisting = "maybe"'),
        "listing",
        "not one of",
    ),
    (
        entry().replace('scope = "local"', 'scope = "local"\naudience = ["doctors"]'),
        "audience",
        "not one of",
    ),
    (
        entry().replace('scope = "local"', 'scope = "local"\noutside_community = "yes"'),
        "outside_community",
        "must be a bool",
    ),
    (
        entry().replace('scope = "local"', 'scope = "local"\nalso = "counselling"'),
        "also",
        "list of words",
    ),
    (entry(provinces="[]"), "eligibility.provinces", "at least one province"),
    (
        entry().replace('roles = ["physician"]', "roles = []"),
        "eligibility.roles",
        "at least one role",
    ),
    (
        entry().replace('roles = ["physician"]', 'roles = ["nurse"]'),
        "eligibility.roles",
        "not one of",
    ),
    (
        entry().replace('roles = ["physician"]', 'roles = ["physician"], confirm_roles = ["kin"]'),
        "eligibility.confirm_roles",
        "not one of",
    ),
    (entry().replace('value = ["en", "fr"]', 'value = ["de"]'), "languages.value", "not one of"),
    (entry().replace('modes = ["one-on-one"]', 'modes = ["solo"]'), "format.modes", "not one of"),
    (
        entry().replace('channels = ["phone"]', 'channels = ["fax"]'),
        "format.channels",
        "not one of",
    ),
    (
        entry().replace(
            'text.serves = { en = "Physicians.", fr = "Les médecins." }',
            'text.serves = { en = "A", fr = "B", de = "C" }',
        ),
        "text.serves",
        "unknown keys",
    ),
    (
        entry().replace(
            'text.serves = { en = "Physicians.", fr = "Les médecins." }',
            'text.serves = "Physicians"',
        ),
        "text.serves",
        "must have en and fr",
    ),
    (entry().replace("hours = { tz", "hour = { tz"), "hour", "not a known field"),
    (
        entry(
            hours=_hours(
                'always_open = true, weekly = [ { days = ["mon"], open = "09:00", close = "17:00" } ]'
            )
        ),
        "hours.always_open",
        "cannot be combined",
    ),
    (
        entry(
            hours=_hours(
                'sessions = [ { weekday = "wed", nth = [2], start = "20:00", end = "19:00" } ]'
            )
        ),
        "hours.sessions[0].end",
        "after the start",
    ),
    (
        entry(
            hours=_hours('sessions = [ { weekday = "someday", start = "19:00", end = "20:00" } ]')
        ),
        "hours.sessions[0].weekday",
        "must be one of",
    ),
    (entry(hours=_hours('weekly = [ "mon 9-5" ]')), "hours.weekly[0]", "must be a table"),
    (
        entry(hours=_hours('after_hours = { en = "x", fr = "y", callback_within_hours = 0 }')),
        "hours.after_hours.callback_within_hours",
        "positive",
    ),
    (entry(hours=_hours('after_hours = "voicemail"')), "hours.after_hours", "must have en, fr"),
    (
        entry().replace(
            'hours = { tz = "America/Toronto", always_open = true, status = "verified" }',
            "hours = 3",
        ),
        "hours",
        "is required",
    ),
    (
        entry().replace(
            'status = "verified" }\ncontacts',
            'status = "verified", source_date = "2020" }\ncontacts',
        ),
        "hours.source_date",
        "must be a date",
    ),
    (entry().replace('{ type = "voice"', '{ type = "fax"'), "contacts[0].type", "not one of"),
    (entry().replace('tags = ["toll-free"]', 'tags = ["free"]'), "contacts[0].tags", "not one of"),
    (
        entry().replace(
            '{ type = "voice", value = "1-800-663-6729", tags = ["toll-free"], status = "verified" }',
            '{ type = "email", value = "not an address", status = "verified" }',
        ),
        "contacts[0].value",
        "not a valid email",
    ),
    (
        entry().replace(
            '{ type = "voice", value = "1-800-663-6729", tags = ["toll-free"], status = "verified" }',
            '{ type = "web", value = "http://", status = "verified" }',
        ),
        "contacts[0].value",
        "not a valid web",
    ),
    (
        entry()
        .replace(
            '{ type = "voice", value = "1-800-663-6729", tags = ["toll-free"], status = "verified" }',
            '{ type = "voice", value = "416-555-0199", tags = ["local"], status = "verified" }',
        )
        .replace('"416-555-0199"', '"1-800-663-6729"'),
        "contacts[0].value",
        "tagged local",
    ),
    (
        entry().replace(
            '{ type = "voice", value = "1-800-663-6729", tags = ["toll-free"], status = "verified" }',
            '{ type = "voice", value = "1-800-663-6729", tags = ["toll-free"], provinces = ["QQ"], status = "verified" }',
        ),
        "contacts[0].provinces",
        "not one of",
    ),
    (entry().replace("contacts = [ {", "contacts = [ 3, {"), "contacts[0]", "must be a table"),
    (entry().replace('kind = "peer-support"\n', ""), "kind", "is required"),
]


@pytest.mark.parametrize(("body", "field", "problem"), MORE_MISTAKES)
def test_every_other_mistake_is_located_too(
    tmp_path: Path, body: str, field: str, problem: str
) -> None:
    path = write(tmp_path, body)
    with pytest.raises(DirectoryError) as info:
        read_file(path)
    assert (info.value.entry, info.value.field) == ("on-example", field)
    assert problem in info.value.problem


@pytest.mark.parametrize(
    ("content", "field", "problem"),
    [
        ('schema = 1\ndisable = "on-x"\n', "disable", "list of entry ids"),
        ("\xff\xfe", None, "not UTF-8"),
    ],
)
def test_more_file_level_mistakes(
    tmp_path: Path, content: str, field: str | None, problem: str
) -> None:
    path = tmp_path / "org.toml"
    path.write_bytes(content.encode("latin-1") if "\xff" in content else content.encode())
    with pytest.raises(DirectoryError) as info:
        read_file(path)
    assert info.value.field == field
    assert problem in info.value.problem
