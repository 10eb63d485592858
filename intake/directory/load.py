"""Read, validate and merge directory files (TOML).

Every problem is reported with the file, the entry id and the field, and loading stops at the
first one: a directory with a mistake is never half-loaded. The format is documented in
docs/directory.md; `SCHEMA` below is its machine-readable summary.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfoNotFoundError

from intake.directory import model as m
from intake.directory.phones import PhoneProblem, parse_phone
from intake.paths import shipped
from intake.provinces import ALL, AUDIENCE_ROLES, CODES
from intake.timezones import zone
from intake.vocabulary import CHANNELS, MODES, TOPICS

SCHEMA_VERSION = 1
T = TypeVar("T")
SHIPPED = shipped("directory.toml")
_ID = re.compile(r"^[a-z]{2}-[a-z0-9]+(?:-[a-z0-9]+)*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
_WEB = re.compile(r"^(https://)?[a-z0-9.-]+\.[a-z]{2,}(/\S*)?$", re.IGNORECASE)
_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")

# The machine-readable summary of the format: field -> (required, description).
SCHEMA: dict[str, tuple[bool, str]] = {
    "id": (True, "two-letter prefix (ca, or a province code in lower case), then words: ab-pfsp"),
    "kind": (True, "one of " + ", ".join(m.KINDS)),
    "also": (False, "other kinds the program also offers"),
    "scope": (True, "one of " + ", ".join(m.SCOPES)),
    "listing": (False, "show (default) or hide-until-verified"),
    "outside_community": (
        False,
        "true if it can connect people with support outside their own community",
    ),
    "audience": (False, "specific audiences only: " + ", ".join(m.AUDIENCES)),
    "source, checked": (False, "defaults for every fact of the entry"),
    "name": (True, "en, fr, status, fr_status, source, checked"),
    "text": (True, "description, serves, referral: each with en and fr"),
    "eligibility": (
        True,
        "provinces (codes or *), roles, confirm_roles (optional), status, source, checked",
    ),
    "languages": (True, "value (en, fr, other; empty when unknown), status, source, checked"),
    "format": (True, "modes, channels, status, source, checked"),
    "cost": (True, "value (" + ", ".join(m.COSTS) + "), status, source, checked"),
    "hours": (
        True,
        "tz, always_open, weekly, sessions, after_hours, open_on_holidays, status, source, checked",
    ),
    "contacts": (False, "type, value, tags, keyword, note, provinces, status, source, checked"),
    "topics": (False, "offered only when the call is about one of: " + ", ".join(TOPICS)),
    "doubt": (False, "en, fr: why the program may no longer run (it then comes last in its tier)"),
}


class DirectoryError(ValueError):
    """A mistake in a directory file, located precisely enough to fix it."""

    def __init__(self, file: str, entry: str | None, field: str | None, problem: str) -> None:
        self.file, self.entry, self.field, self.problem = file, entry, field, problem
        where = file
        if entry is not None:
            where += f": entry '{entry}'"
        if field is not None:
            where += f", field '{field}'"
        super().__init__(f"{where}: {problem}")


@dataclass
class _Ctx:
    file: str
    entry: str | None
    defaults: dict[str, Any]
    # One per file: equal values (a provenance, a set of roles, opening hours, a number) are
    # stored once, whichever entry they come from. A directory lives as long as the process, and
    # its compiled copy (intake.directory.cache) is read back with each shared value once: at
    # 10,000 programs, a few hundred thousand fewer objects to build and to walk.
    shared: dict[Any, Any]

    def fail(self, field: str | None, problem: str) -> DirectoryError:
        return DirectoryError(self.file, self.entry, field, problem)

    def share(self, value: T) -> T:
        return self.shared.setdefault(value, value)  # type: ignore[no-any-return]


def _get(
    ctx: _Ctx,
    table: dict[str, Any],
    key: str,
    kind: type | tuple[type, ...],
    field: str,
    default: Any = ...,
) -> Any:
    if key not in table:
        if default is ...:
            raise ctx.fail(field, "is required")
        return default
    value = table[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ctx.fail(field, f"must be a {names}, not {type(value).__name__}")
    return value


def _choices(ctx: _Ctx, values: Any, allowed: Iterable[str], field: str) -> frozenset[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ctx.fail(field, "must be a list of words")
    allowed = tuple(allowed)
    for value in values:
        if value not in allowed:
            raise ctx.fail(field, f"{value!r} is not one of: {', '.join(allowed)}")
    return ctx.share(frozenset(values))


def _text(ctx: _Ctx, value: Any, field: str) -> m.Text:
    if not isinstance(value, dict):
        raise ctx.fail(field, "must have en and fr")
    for language in ("en", "fr"):
        text = value.get(language)
        if not isinstance(text, str) or not text.strip():
            raise ctx.fail(f"{field}.{language}", "is required in both languages")
    unknown = set(value) - {"en", "fr"}
    if unknown:
        raise ctx.fail(field, f"unknown keys: {', '.join(sorted(unknown))}")
    return ctx.share(m.Text(value["en"].strip(), value["fr"].strip()))


def _provenance(
    ctx: _Ctx, table: dict[str, Any], field: str, status_key: str = "status"
) -> m.Provenance:
    status = _get(ctx, table, status_key, str, f"{field}.{status_key}")
    if status not in m.STATUSES:
        raise ctx.fail(
            f"{field}.{status_key}", f"{status!r} is not one of: {', '.join(m.STATUSES)}"
        )
    source = table.get("source", ctx.defaults.get("source"))
    checked = table.get("checked", ctx.defaults.get("checked"))
    if status != "unverified" and (not isinstance(source, str) or not source.strip()):
        raise ctx.fail(f"{field}.source", "is required unless the fact is unverified")
    if not isinstance(checked, date):
        raise ctx.fail(f"{field}.checked", "must be a date (YYYY-MM-DD)")
    source_date = table.get("source_date")
    if source_date is not None and not isinstance(source_date, date):
        raise ctx.fail(f"{field}.source_date", "must be a date (YYYY-MM-DD)")
    return ctx.share(m.Provenance(status, source or "", checked, source_date))


def _clock(ctx: _Ctx, value: Any, field: str) -> time:
    match = _CLOCK.match(value) if isinstance(value, str) else None
    if match is None:
        raise ctx.fail(field, "must be a 24-hour time such as 08:45")
    return ctx.share(time(int(match[1]), int(match[2])))


def _hours(ctx: _Ctx, table: Any, region: str = "CA") -> m.Hours:
    if not isinstance(table, dict):
        raise ctx.fail("hours", "is required")
    tz = _get(ctx, table, "tz", str, "hours.tz")
    if re.match(r"^(UTC|GMT)?[+-]\d", tz) or tz.upper() in {
        "UTC",
        "GMT",
        "EST",
        "PST",
        "MST",
        "CST",
        "AST",
        "NST",
    }:
        raise ctx.fail(
            "hours.tz", "must be an IANA zone such as America/Regina, never a fixed offset"
        )
    try:
        zone(tz)
    except ZoneInfoNotFoundError:
        raise ctx.fail("hours.tz", f"{tz!r} is not an IANA time zone") from None
    weekly = []
    for index, slot in enumerate(_get(ctx, table, "weekly", list, "hours.weekly", [])):
        field = f"hours.weekly[{index}]"
        if not isinstance(slot, dict):
            raise ctx.fail(field, "must be a table with days, open and close")
        days = _choices(ctx, slot.get("days"), m.WEEKDAYS, f"{field}.days")
        weekly.append(
            m.WeeklySlot(
                frozenset(m.WEEKDAYS.index(d) for d in days),
                _clock(ctx, slot.get("open"), f"{field}.open"),
                _clock(ctx, slot.get("close"), f"{field}.close"),
            )
        )
    sessions = []
    for index, session in enumerate(_get(ctx, table, "sessions", list, "hours.sessions", [])):
        field = f"hours.sessions[{index}]"
        if not isinstance(session, dict) or session.get("weekday") not in m.WEEKDAYS:
            raise ctx.fail(f"{field}.weekday", "must be one of: " + ", ".join(m.WEEKDAYS))
        nth = session.get("nth", [1, 2, 3, 4, 5])
        if (
            not isinstance(nth, list)
            or not nth
            or not all(isinstance(n, int) and 1 <= n <= 5 for n in nth)
        ):
            raise ctx.fail(f"{field}.nth", "must list which occurrences in the month, 1 to 5")
        start = _clock(ctx, session.get("start"), f"{field}.start")
        end = _clock(ctx, session.get("end"), f"{field}.end")
        if end <= start:
            raise ctx.fail(f"{field}.end", "must be after the start")
        sessions.append(m.Session(m.WEEKDAYS.index(session["weekday"]), frozenset(nth), start, end))
    always = _get(ctx, table, "always_open", bool, "hours.always_open", False)
    on_holidays = _get(ctx, table, "open_on_holidays", bool, "hours.open_on_holidays", False)
    if always and (weekly or sessions):
        raise ctx.fail("hours.always_open", "cannot be combined with weekly hours or sessions")
    after = table.get("after_hours")
    after_text = callback = None
    if after is not None:
        if not isinstance(after, dict):
            raise ctx.fail(
                "hours.after_hours", "must have en, fr and optionally callback_within_hours"
            )
        callback = after.get("callback_within_hours")
        if callback is not None and (not isinstance(callback, int) or callback <= 0):
            raise ctx.fail(
                "hours.after_hours.callback_within_hours", "must be a positive number of hours"
            )
        after_text = _text(
            ctx, {k: v for k, v in after.items() if k in ("en", "fr")}, "hours.after_hours"
        )
    return ctx.share(
        m.Hours(
            ctx.share(tz),
            always,
            tuple(weekly),
            tuple(sessions),
            after_text,
            callback,
            _provenance(ctx, table, "hours"),
            region,
            on_holidays,
        )
    )


def _contact(ctx: _Ctx, index: int, table: Any) -> m.Contact:
    field = f"contacts[{index}]"
    if not isinstance(table, dict):
        raise ctx.fail(field, "must be a table")
    kind = _get(ctx, table, "type", str, f"{field}.type")
    if kind not in m.CONTACT_TYPES:
        raise ctx.fail(f"{field}.type", f"{kind!r} is not one of: {', '.join(m.CONTACT_TYPES)}")
    value = _get(ctx, table, "value", str, f"{field}.value").strip()
    tags = _choices(ctx, table.get("tags", []), m.CONTACT_TAGS, f"{field}.tags")
    note = _text(ctx, table["note"], f"{field}.note") if "note" in table else None
    keyword = table.get("keyword")
    provinces = _choices(ctx, table.get("provinces", []), CODES, f"{field}.provinces")
    provenance = _provenance(ctx, table, field)
    if kind in ("voice", "text", "tty"):
        try:
            phone = parse_phone(value, kind, tags)
        except PhoneProblem as exc:
            raise ctx.fail(f"{field}.value", str(exc)) from None
        return ctx.share(
            m.Contact(
                ctx.share(kind),
                value,
                phone.dial,
                phone.display_en,
                phone.display_fr,
                tags,
                provenance,
                keyword,
                note,
                provinces,
            )
        )
    pattern = _EMAIL if kind == "email" else _WEB
    if not pattern.match(value):
        raise ctx.fail(f"{field}.value", f"{value!r} is not a valid {kind} address")
    return ctx.share(
        m.Contact(
            ctx.share(kind), value, value, value, value, tags, provenance, keyword, note, provinces
        )
    )


def _region(provinces: frozenset[str]) -> str:
    """Whose holidays close a program: its one province or territory, else Canada's."""
    return next(iter(provinces)) if len(provinces) == 1 and ALL not in provinces else "CA"


def _program(ctx: _Ctx, raw: dict[str, Any]) -> m.Program:
    known = {
        "id",
        "kind",
        "also",
        "scope",
        "listing",
        "outside_community",
        "audience",
        "source",
        "checked",
        "name",
        "text",
        "eligibility",
        "languages",
        "format",
        "cost",
        "hours",
        "contacts",
        "doubt",
        "topics",
    }
    unknown = set(raw) - known
    if unknown:
        raise ctx.fail(sorted(unknown)[0], "is not a known field")
    kind = _get(ctx, raw, "kind", str, "kind")
    if kind not in m.KINDS:
        raise ctx.fail("kind", f"{kind!r} is not one of: {', '.join(m.KINDS)}")
    scope = _get(ctx, raw, "scope", str, "scope")
    if scope not in m.SCOPES:
        raise ctx.fail("scope", f"{scope!r} is not one of: {', '.join(m.SCOPES)}")
    listing = _get(ctx, raw, "listing", str, "listing", "show")
    if listing not in m.LISTINGS:
        raise ctx.fail("listing", f"{listing!r} is not one of: {', '.join(m.LISTINGS)}")
    name_table = _get(ctx, raw, "name", dict, "name")
    name = m.Name(
        _text(ctx, {k: name_table.get(k) for k in ("en", "fr")}, "name"),
        _provenance(ctx, name_table, "name"),
        _provenance(ctx, name_table, "name", "fr_status").status == "verified",
    )
    text = _get(ctx, raw, "text", dict, "text")
    eligibility = _get(ctx, raw, "eligibility", dict, "eligibility")
    provinces = _choices(ctx, eligibility.get("provinces"), (*CODES, ALL), "eligibility.provinces")
    if not provinces:
        raise ctx.fail("eligibility.provinces", "must name at least one province, or *")
    roles = _choices(ctx, eligibility.get("roles"), AUDIENCE_ROLES, "eligibility.roles")
    if not roles:
        raise ctx.fail("eligibility.roles", "must name at least one role")
    languages = _get(ctx, raw, "languages", dict, "languages")
    formats = _get(ctx, raw, "format", dict, "format")
    cost = _get(ctx, raw, "cost", dict, "cost")
    if cost.get("value") not in m.COSTS:
        raise ctx.fail("cost.value", "must be one of: " + ", ".join(m.COSTS))
    return m.Program(
        id=raw["id"],
        kind=ctx.share(kind),
        also=_choices(ctx, raw.get("also", []), m.KINDS, "also"),
        scope=ctx.share(scope),
        listing=ctx.share(listing),
        outside_community=_get(ctx, raw, "outside_community", bool, "outside_community", False),
        audience=_choices(ctx, raw.get("audience", []), m.AUDIENCES, "audience"),
        name=name,
        description=_text(ctx, text.get("description"), "text.description"),
        serves=_text(ctx, text.get("serves"), "text.serves"),
        referral=_text(ctx, text.get("referral"), "text.referral"),
        eligibility=ctx.share(
            m.Fact((provinces, roles), _provenance(ctx, eligibility, "eligibility"))
        ),
        languages=ctx.share(
            m.Fact(
                _choices(ctx, languages.get("value"), ("en", "fr", "other"), "languages.value"),
                _provenance(ctx, languages, "languages"),
            )
        ),
        formats=ctx.share(
            m.Fact(
                (
                    _choices(ctx, formats.get("modes", []), MODES, "format.modes"),
                    _choices(ctx, formats.get("channels", []), CHANNELS, "format.channels"),
                ),
                _provenance(ctx, formats, "format"),
            )
        ),
        cost=ctx.share(m.Fact(cost["value"], _provenance(ctx, cost, "cost"))),
        # Holidays: a program of one province or territory closes on its holidays.
        hours=_hours(ctx, raw.get("hours"), _region(provinces)),
        contacts=tuple(
            _contact(ctx, i, c)
            for i, c in enumerate(_get(ctx, raw, "contacts", list, "contacts", []))
        ),
        origin=ctx.file,
        doubt=_text(ctx, raw["doubt"], "doubt") if "doubt" in raw else None,
        topics=_choices(ctx, raw.get("topics", []), TOPICS, "topics"),
        confirm_roles=_choices(
            ctx, eligibility.get("confirm_roles", []), AUDIENCE_ROLES, "eligibility.confirm_roles"
        ),
    )


# The shipped directory is about 100 kB; an organisation with 10,000 programs (the size the
# routing benchmark measures) needs about 8 MB. The bound stops /dev/zero or a runaway file.
MAX_FILE_BYTES = 64_000_000


def _read_text(path: Path) -> str:
    """The file's text; a folder, a device, a pipe or a huge file is refused before reading."""
    file = str(path)
    try:
        with path.open("rb") as fp:
            if not stat.S_ISREG(os.fstat(fp.fileno()).st_mode):
                raise DirectoryError(file, None, None, "is not a regular file")
            raw = fp.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise DirectoryError(file, None, None, "file not found") from None
    except IsADirectoryError:
        raise DirectoryError(file, None, None, "is a folder, not a file") from None
    except OSError as exc:
        raise DirectoryError(file, None, None, f"cannot be read ({exc.strerror})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise DirectoryError(file, None, None, f"is larger than {MAX_FILE_BYTES:,} bytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DirectoryError(file, None, None, "is not UTF-8 text") from None


def read_file(path: Path) -> tuple[list[m.Program], set[str]]:
    """Parse one directory file: its programs, and the ids it disables."""
    file = str(path)
    try:
        programs, disabled = _read_programs(path)
    except DirectoryError:
        raise
    except (ValueError, TypeError, AttributeError, KeyError, RecursionError, OSError) as exc:
        # A shape the checks above did not foresee: still the file's mistake, never a crash.
        raise DirectoryError(
            file, None, None, f"has an entry of an unexpected shape ({type(exc).__name__})"
        ) from None
    return programs, disabled


def _read_programs(path: Path) -> tuple[list[m.Program], set[str]]:
    file = str(path)
    text = _read_text(path)
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise DirectoryError(file, None, None, "is nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        raise DirectoryError(file, None, None, f"is not valid TOML ({exc})") from None
    if data.get("schema") != SCHEMA_VERSION:
        raise DirectoryError(file, None, "schema", f"must be {SCHEMA_VERSION}")
    unknown = set(data) - {"schema", "program", "disable"}
    if unknown:
        raise DirectoryError(file, None, sorted(unknown)[0], "is not a known top-level key")
    disabled = data.get("disable", [])
    if not isinstance(disabled, list) or not all(isinstance(d, str) for d in disabled):
        raise DirectoryError(file, None, "disable", "must be a list of entry ids")
    programs: list[m.Program] = []
    seen: set[str] = set()
    shared: dict[Any, Any] = {}
    listed = data.get("program", [])
    if not isinstance(listed, list):
        raise DirectoryError(file, None, "program", "must be a list of [[program]] tables")
    for index, raw in enumerate(listed):
        entry = raw.get("id") if isinstance(raw, dict) else None
        if not isinstance(entry, str) or not _ID.match(entry):
            raise DirectoryError(
                file,
                entry if isinstance(entry, str) else f"#{index + 1}",
                "id",
                "must look like ab-pfsp (prefix, dash, lower-case words)",
            )
        if entry in seen:
            raise DirectoryError(file, entry, "id", "appears twice in this file")
        seen.add(entry)
        ctx = _Ctx(file, entry, {k: raw[k] for k in ("source", "checked") if k in raw}, shared)
        programs.append(_program(ctx, raw))
    return programs, set(disabled)


# The safety floor: the shipped entries an organisation's file can never remove or weaken:
# emergency services (and the local alternative where 9-1-1 does not reach), and 9-8-8.
FLOOR_IDS = frozenset({"ca-988"})


def on_floor(program: m.Program) -> bool:
    return program.kind == "emergency" or program.id in FLOOR_IDS


def _weakened(shipped: m.Program, replacement: m.Program) -> tuple[str, str] | None:
    """(field, problem) if `replacement` would take `shipped` out of a crisis route."""
    if replacement.kind != shipped.kind:
        return "kind", f"must stay {shipped.kind!r}: this entry is part of the crisis route"
    if replacement.listing != "show":
        return "listing", "must stay shown: this entry is part of the crisis route"
    if not (shipped.provinces <= replacement.provinces or ALL in replacement.provinces) or not (
        shipped.roles <= replacement.roles
    ):
        return "eligibility", "cannot serve fewer provinces or roles than the shipped entry"
    kept = {(c.type, c.value) for c in replacement.contacts}
    if any((c.type, c.value) not in kept for c in shipped.contacts):
        return "contacts", "must keep every number of the shipped entry"
    if shipped.hours.always_open and not replacement.hours.always_open:
        return "hours", "must stay open at all hours, like the shipped entry"
    return None


def check_floor(
    base: list[m.Program], override: list[m.Program], disabled: set[str], file: str
) -> None:
    """Refuse an organisation's file that disables or weakens a crisis-route entry."""
    replacements = {p.id: p for p in override}
    for program in base:
        if not on_floor(program):
            continue
        if program.id in disabled:
            raise DirectoryError(
                file,
                program.id,
                "disable",
                "cannot be disabled: emergency services and 9-8-8 stay in every crisis route",
            )
        if program.id in replacements:
            found = _weakened(program, replacements[program.id])
            if found is not None:
                raise DirectoryError(file, program.id, *found)


def merge(base: list[m.Program], override: list[m.Program], disabled: set[str]) -> list[m.Program]:
    """An override entry with a shipped id replaces that entry whole; a new id is added;
    ids listed under `disable` are removed. Order: shipped order, then new entries."""
    replacements = {p.id: p for p in override}
    merged = [replacements.pop(p.id, p) for p in base if p.id not in disabled]
    return merged + [p for p in override if p.id in replacements and p.id not in disabled]


def load_directory(override: Path | None = None, shipped: Path = SHIPPED) -> list[m.Program]:
    programs, _ = read_file(shipped)
    if override is None:
        return programs
    extra, disabled = read_file(override)
    unknown = disabled - {p.id for p in programs} - {p.id for p in extra}
    if unknown:
        raise DirectoryError(str(override), sorted(unknown)[0], "disable", "no entry has this id")
    check_floor(programs, extra, disabled, str(override))
    return merge(programs, extra, disabled)


def override_from_environment() -> Path | None:
    """Your organisation's directory file, when INTAKE_DIRECTORY names one."""
    configured = os.environ.get("INTAKE_DIRECTORY")
    return Path(configured) if configured else None
