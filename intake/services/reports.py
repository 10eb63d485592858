"""De-identified reports for a peer support program's sponsors: uptake, outcomes, referrals and
their follow-up, satisfaction.

Every table is counts of coded values, published through `suppression.suppress` (cells, totals
and grand total under five hidden, with complementary suppression). Statistics (a median, an
average) over fewer than five are not published. Nothing free-text or identifying is read: the
rows and columns are months, provinces, languages, channels, roles, outcomes, program ids, and
the names of the program's own sites. Tables of the same population share only their grand
total, so no table's hidden cell is another table's published margin.
"""

from __future__ import annotations

import csv
import io
import os
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path

from intake import vocabulary_labels
from intake.i18n import N_, NP_, _, language_name, translate
from intake.provinces import PROVINCES
from intake.routing.holiday_dates import REGIONS, is_holiday
from intake.services.matching import FIRST_CONTACT_BUSINESS_DAYS, AnyStore
from intake.services.suppression import (
    SMALLEST_SHOWN,
    Published,
    suppress,
    suppress_nested,
    suppress_statistic,
)
from intake.storage.db import Store
from intake.storage.errors import StoreError
from intake.storage.report_data import Period, ReportData, exported, read

# The reports window reaches the store only through this module (import-linter).
__all__ = ["AnyStore", "Period", "Report", "Statistic", "Store", "StoreError", "Table"]

Label = str | tuple[str, str]


@dataclass(frozen=True)
class Table:
    key: str
    title: Label
    row_kind: str
    column_kind: str
    rows: tuple[str, ...]  # codes; `label` names them
    columns: tuple[str, ...]
    published: Published


@dataclass(frozen=True)
class Statistic:
    key: str
    title: Label
    value: float | None  # None: fewer than five
    count: int


@dataclass(frozen=True)
class Report:
    period: Period
    tables: tuple[Table, ...]
    statistics: tuple[Statistic, ...]


# Channels, kinds of match, roles and outcomes read as everywhere else (History, the worklist,
# the matching page): the one vocabulary's labels (`intake.vocabulary_labels`), so that a kiosk
# visit or an abandoned call is named, never "unknown", and both languages say the same thing.
ROLES = vocabulary_labels.ROLES
OUTCOMES = {**vocabulary_labels.OUTCOMES, **vocabulary_labels.MATCH_OUTCOMES}
FOLLOWUPS: dict[str, Label] = {
    "done": NP_("follow-up result", "Done"),
    "open": NP_("follow-up result", "Open, not yet due"),
    "overdue": NP_("follow-up result", "Open and overdue"),
    "cancelled": NP_("follow-up result", "Cancelled"),
}
DELAYS: dict[str, Label] = {
    "on-time": NP_("first contact", "Within three business days"),
    "late": NP_("first contact", "Four or five business days"),
    "very-late": NP_("first contact", "More than five business days"),
    "none": NP_("first contact", "Not yet"),
}
ANSWERS: dict[str, Label] = {
    "yes": NP_("survey answer", "Yes"),
    "no": NP_("survey answer", "No"),
}
UNKNOWN: Label = NP_("report value", "Not recorded")
OTHER_SITE: Label = NP_("report value", "Sites with fewer than five requests")

TITLES: dict[str, Label] = {
    "contacts_month_channel": N_("Contacts by month and channel"),
    "contacts_province_language": N_("Contacts by province or territory and language"),
    "contacts_role": N_("Contacts by role"),
    "contacts_outcome": N_("Contacts by outcome"),
    "requests_month_channel": N_("Match requests by month and channel"),
    "requests_site_kind": N_("Match requests by site and kind of match asked"),
    "requests_province_language": N_("Match requests by province or territory and language"),
    "requests_role": N_("Match requests by role"),
    "matches_month_kind": N_("Matches accepted by month and kind"),
    "first_contact": N_("Time from acceptance to first contact"),
    "requests_outcome": N_("Closed match requests by outcome"),
    "referrals": N_("Referrals given by the line, by program"),
    "followups": N_("Follow-ups of contacts, by result"),
    "survey_helpful": N_("Survey: how helpful was it (1 to 5), by where it was asked"),
    "survey_recommend": N_("Survey: would recommend it, by where it was asked"),
    "feedback_rating": N_("Feedback after a call or a kiosk visit: rating (1 to 5)"),
    "feedback_found": N_("Feedback after a call or a kiosk visit: found what they needed"),
}
COUNT_COLUMN: Label = NP_("report column", "Count")


def label(kind: str, code: str) -> str:
    """A row or column heading in the current language."""
    if kind == "count":
        return translate(COUNT_COLUMN)
    if kind == "language":
        return language_name(code) if code in ("en", "fr") else translate(UNKNOWN)
    if kind == "site" and code == "":
        return translate(OTHER_SITE)
    if kind in ("month", "site", "province", "rating", "program"):  # read the same in both
        return code if code != "?" else translate(UNKNOWN)
    vocabulary = {
        "channel": "report-channel",
        "kind": "match-kind",
        "role": "role",
        "outcome": "match-outcome" if code in vocabulary_labels.MATCH_OUTCOMES else "outcome",
    }.get(kind)
    if vocabulary is not None and code in vocabulary_labels.LABELS[vocabulary][1]:
        return vocabulary_labels.label(vocabulary, code)
    table: dict[str, Label] = {
        "followup": FOLLOWUPS,
        "delay": DELAYS,
        "answer": ANSWERS,
    }.get(kind, {})
    return translate(table.get(code, UNKNOWN))


def _months(period: Period) -> tuple[str, ...]:
    months = []
    year, month = period.start.year, period.start.month
    while (year, month) <= (period.end.year, period.end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months)


def _two_way(
    key: str,
    counts: Counter[tuple[str, str]],
    rows: Iterable[str],
    columns: Iterable[str],
    *kinds: str,  # the row kind, then the column kind
    **total: bool,  # keep_total / hide_total (see `_together`)
) -> Table:
    row_kind, column_kind = kinds
    row_codes = tuple(rows)
    column_codes = tuple(columns)
    cells = [[counts.get((r, c), 0) for c in column_codes] for r in row_codes]
    return Table(
        key,
        TITLES[key],
        row_kind,
        column_kind,
        row_codes,
        column_codes,
        suppress(cells if row_codes and column_codes else [], **total),
    )


def _one_way(
    key: str, counts: Counter[str], rows: Iterable[str], row_kind: str, **total: bool
) -> Table:
    row_codes = tuple(rows)
    cells = [[counts.get(r, 0)] for r in row_codes]
    published = suppress(cells or [], **total)
    return Table(key, TITLES[key], row_kind, "count", row_codes, ("count",), published)


def _sites_and_provinces(
    by_site: Counter[tuple[str, str]],
    sites: Sequence[str],
    by_province: Counter[tuple[str, str]],
    provinces: Sequence[str],
    **total: bool,
) -> tuple[Table, Table]:
    """The match requests by site and kind and by province and language. A site lies in one
    province, so a province's requests are the sum of its sites' (and of its share of the merged
    small sites, row ""): the two tables are suppressed together, those sums included, or a
    site's hidden row total would be its province's total minus its other sites."""
    kinds, languages = ("local", "inter-site"), ("en", "fr")
    site_cells = [[by_site.get((r, c), 0) for c in kinds] for r in sites]
    province_cells = [[by_province.get((r, c), 0) for c in languages] for r in provinces]
    where = {p: i for i, p in enumerate(provinces)}
    whole_of = [where[site.split(" · ", 1)[0]] if site else None for site in sites]
    by_site_published, by_province_published = suppress_nested(
        site_cells if sites else [], province_cells if provinces else [], whole_of, **total
    )
    return (
        Table(
            "requests_site_kind",
            TITLES["requests_site_kind"],
            "site",
            "kind",
            tuple(sites),
            kinds,
            by_site_published,
        ),
        Table(
            "requests_province_language",
            TITLES["requests_province_language"],
            "province",
            "language",
            tuple(provinces),
            languages,
            by_province_published,
        ),
    )


def _together(*tables: Callable[..., Table | tuple[Table, ...]]) -> tuple[Table, ...]:
    """Tables of the same people (the contacts by month, by province, by role, by outcome...)
    share their grand total and nothing else. Each is suppressed with the total treated alike:
    published in all of them (never chosen as a complement), or, when it is a small count or
    one table cannot do without hiding it, hidden in all of them. A count hidden in one table
    then cannot be worked out from the others: without the total, tables of different
    groupings of the same people say nothing about one another, even with the zeros each
    publishes (docs/reports.md, "Across the tables of one report"; checked exactly by
    tests/matching/test_cross_table_suppression.py)."""
    made = _flat(table(keep_total=True) for table in tables)
    if any(t.published.total is None for t in made):
        made = _flat(table(hide_total=True) for table in tables)
    return made


def _flat(made: Iterable[Table | tuple[Table, ...]]) -> tuple[Table, ...]:
    """Tables suppressed together (`_sites_and_provinces`) come as a tuple."""
    return tuple(t for m in made for t in (m if isinstance(m, tuple) else (m,)))


def _present(counts: Iterable[str], known: Iterable[str]) -> list[str]:
    """The known codes in their order, then any others seen (sorted)."""
    order = list(known)
    seen = set(counts)
    return [c for c in order if c in seen] + sorted(seen - set(order))


def _business_days(start: date, end: date, province: str) -> int:
    """Business days after `start` up to and including `end` (one pass over the days)."""
    region = province if province in REGIONS else "CA"
    days = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if day.weekday() < 5 and not is_holiday(region, day):
            days += 1
    return days


class _BusinessDays:
    """`_business_days` for thousands of matches: per region, the running count of business
    days over the dates seen, so each match is one subtraction (walking each match's days was
    most of building a year's report, measured)."""

    def __init__(self) -> None:
        self._counts: dict[str, tuple[int, list[int]]] = {}

    def between(self, start: date, end: date, province: str) -> int:
        if end <= start:
            return 0
        region = province if province in REGIONS else "CA"
        first_day, last_day = start.toordinal(), end.toordinal()
        first, running = self._counts.get(region, (first_day, []))
        if not running or first_day < first or last_day >= first + len(running):
            first = min(first_day, first) if running else first_day
            last = max(last_day, first + len(running) - 1) + 366
            running = [0]
            for ordinal in range(first + 1, last + 1):
                day = date.fromordinal(ordinal)
                running.append(running[-1] + (day.weekday() < 5 and not is_holiday(region, day)))
            self._counts[region] = (first, running)
        return running[last_day - first] - running[first_day - first]


def _satisfaction(data: ReportData) -> tuple[tuple[Table, ...], list[int]]:
    """The closure and kiosk survey, and the feedback after calls and kiosk visits."""
    helpful: Counter[tuple[str, str]] = Counter()
    recommend: Counter[tuple[str, str]] = Counter()
    ratings: list[int] = []
    for channel, rating, would, n in data.survey:
        if rating is not None:
            helpful[(str(rating), channel)] += n
            ratings.extend([int(rating)] * n)
        if would is not None:
            recommend[("yes" if would else "no", channel)] += n

    rated: Counter[tuple[str, str]] = Counter()
    found: Counter[tuple[str, str]] = Counter()
    for channel, rating, got, n in data.feedback:
        if rating is not None:
            rated[(str(rating), channel)] += n
        if got is not None:
            found[("yes" if got else "no", channel)] += n

    survey_channels = ("closure", "kiosk")
    return (
        _two_way(
            "survey_helpful",
            helpful,
            ("1", "2", "3", "4", "5"),
            survey_channels,
            "rating",
            "channel",
        ),
        _two_way(
            "survey_recommend", recommend, ("yes", "no"), survey_channels, "answer", "channel"
        ),
        _two_way(
            "feedback_rating",
            rated,
            ("1", "2", "3", "4", "5"),
            ("phone", "kiosk"),
            "rating",
            "channel",
        ),
        _two_way("feedback_found", found, ("yes", "no"), ("phone", "kiosk"), "answer", "channel"),
    ), ratings


def _waits(data: ReportData) -> tuple[Counter[tuple[str, str]], Counter[str], list[int]]:
    """Accepted matches by month and kind, by their wait for a first contact (in business days
    of the requester's province), and every wait (for the median)."""
    matches_month_kind: Counter[tuple[str, str]] = Counter()
    delays: Counter[str] = Counter()
    waited: list[int] = []
    business = _BusinessDays()
    days_of: dict[str, date] = {}  # the same days recur: parsed once each
    for month, outside, province, accepted_on, first_on, n in data.matches:
        matches_month_kind[(month, "inter-site" if outside else "local")] += n
        if first_on is None:
            delays["none"] += n
            continue
        for day in (accepted_on, first_on):
            if day not in days_of:
                days_of[day] = date.fromisoformat(day)
        days = business.between(days_of[accepted_on], days_of[first_on], province)
        waited.extend([days] * n)
        delays[
            "on-time"
            if days <= FIRST_CONTACT_BUSINESS_DAYS
            else "late"
            if days <= FIRST_CONTACT_BUSINESS_DAYS + 2
            else "very-late"
        ] += n
    return matches_month_kind, delays, waited


def build(data: ReportData, period: Period) -> Report:
    months = _months(period)
    by_month_channel: Counter[tuple[str, str]] = Counter()
    by_province_language: Counter[tuple[str, str]] = Counter()
    by_role: Counter[str] = Counter()
    by_outcome: Counter[str] = Counter()
    for month, channel, province, language, role, outcome, n in data.contacts:
        by_month_channel[(month, channel)] += n
        by_province_language[(province, language)] += n
        by_role[role] += n
        by_outcome[outcome] += n

    req_month_channel: Counter[tuple[str, str]] = Counter()
    req_site_kind: Counter[tuple[str, str]] = Counter()
    req_province_language: Counter[tuple[str, str]] = Counter()
    req_role: Counter[str] = Counter()
    req_outcome: Counter[str] = Counter()
    for month, source, province, site, language, role, outside, status, outcome, n in data.requests:
        kind = "inter-site" if outside else "local"
        req_month_channel[(month, source)] += n
        req_site_kind[(f"{province} · {site}", kind)] += n
        req_province_language[(province, language)] += n
        req_role[role] += n
        if status in ("closed", "withdrawn"):
            req_outcome[outcome] += n
    # A site with fewer than five requests in the period is listed with the others like it:
    # a small site's row would otherwise be hidden cell by cell (and named).
    site_totals: Counter[str] = Counter()
    for (site, _kind), n in req_site_kind.items():
        site_totals[site] += n
    shown = {site for site, n in site_totals.items() if n >= SMALLEST_SHOWN}
    # The province table publishes each province's requests: minus the sites listed for that
    # province, it tells what that province's merged small sites hold. While that remainder is a
    # small count (1 to 4), the province's smallest listed site joins the merged ones too.
    for province in {site.split(" · ", 1)[0] for site in site_totals}:
        listed = sorted(
            (n, site)
            for site, n in site_totals.items()
            if site in shown and site.startswith(f"{province} · ")
        )
        everything = sum(n for site, n in site_totals.items() if site.startswith(f"{province} · "))
        while listed and 0 < everything - sum(n for n, _ in listed) < SMALLEST_SHOWN:
            shown.discard(listed.pop(0)[1])
    merged: Counter[tuple[str, str]] = Counter()
    for (site, kind), n in req_site_kind.items():
        merged[(site if site in shown else "", kind)] += n
    sites = sorted({s for s, _ in merged if s}) + ([""] if any(not s for s, _ in merged) else [])

    matches_month_kind, delays, waited = _waits(data)

    satisfaction, ratings = _satisfaction(data)
    contacts = _together(
        partial(
            _two_way,
            "contacts_month_channel",
            by_month_channel,
            months,
            ("phone", "kiosk"),
            "month",
            "channel",
        ),
        partial(
            _two_way,
            "contacts_province_language",
            by_province_language,
            _present((p for p, _ in by_province_language), PROVINCES),
            ("en", "fr"),
            "province",
            "language",
        ),
        partial(_one_way, "contacts_role", by_role, _present(by_role, ROLES), "role"),
        partial(
            _one_way, "contacts_outcome", by_outcome, _present(by_outcome, OUTCOMES), "outcome"
        ),
    )
    requests = _together(
        partial(
            _two_way,
            "requests_month_channel",
            req_month_channel,
            months,
            ("phone", "kiosk", "coordinator"),
            "month",
            "channel",
        ),
        partial(
            _sites_and_provinces,
            merged,
            sites,
            req_province_language,
            _present((p for p, _ in req_province_language), PROVINCES),
        ),
        partial(_one_way, "requests_role", req_role, _present(req_role, ROLES), "role"),
    )
    # Every accepted match is in both: by month and kind, and by its wait for a first contact.
    accepted = _together(
        partial(
            _two_way,
            "matches_month_kind",
            matches_month_kind,
            months,
            ("local", "inter-site"),
            "month",
            "kind",
        ),
        partial(_one_way, "first_contact", delays, DELAYS, "delay"),
    )
    tables = (
        *contacts,
        *requests,
        *accepted,
        _one_way("requests_outcome", req_outcome, _present(req_outcome, OUTCOMES), "outcome"),
        _one_way(
            "referrals",
            Counter(dict(data.referrals)),
            sorted(p for p, _ in data.referrals),
            "program",
        ),
        _one_way("followups", Counter(dict(data.followups)), FOLLOWUPS, "followup"),
        *satisfaction,
    )
    stats = (
        Statistic(
            "median_first_contact",
            N_("Median business days from acceptance to first contact"),
            suppress_statistic(float(statistics.median(waited)) if waited else None, len(waited)),
            len(waited),
        ),
        Statistic(
            "average_helpful",
            N_("Average helpfulness (1 to 5)"),
            # The average is one more equation over the survey_helpful cells (a weighted sum):
            # published beside a table with hidden cells it could pin them down, so it is
            # published only when that table hides nothing.
            suppress_statistic(
                round(statistics.fmean(ratings), 1) if ratings else None, len(ratings)
            )
            if None not in satisfaction[0].published.values()
            else None,
            len(ratings),
        ),
    )
    return Report(period, tables, stats)


def make_report(store: AnyStore, period: Period, now: datetime) -> Report:
    """The period's report from the file's kept counts or the shared server's rows."""
    return build(read(store, period, now.isoformat()), period)


def audit_export(store: AnyStore, report: Report, actor: str | None, what: str) -> None:
    """Each export is audited with its period and format (never its content), so a supervisor
    can see which overlapping periods were released (see docs/reports.md)."""
    exported(
        store,
        actor,
        f"report {what} {report.period.start.isoformat()}..{report.period.end.isoformat()}",
    )


def _cell(value: int | None) -> str:
    return "x" if value is None else str(value)


def to_csv(report: Report) -> str:
    """Every table one after the other: a title line, a header line, its rows with their totals,
    then a total line. Suppressed values are "x"; the rule is stated on the first line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([suppression_rule()])
    writer.writerow([period_text(report.period)])
    total_label = _("Total")
    for table in report.tables:
        writer.writerow([])
        writer.writerow([translate(table.title)])
        pub = table.published
        two_way = len(table.columns) > 1
        header = ["", *(label(table.column_kind, c) for c in table.columns)]
        if two_way:
            header.append(total_label)
        writer.writerow(header)
        for r, code in enumerate(table.rows):
            line = [label(table.row_kind, code), *(_cell(v) for v in pub.cells[r])]
            if two_way:
                line.append(_cell(pub.row_totals[r]))
            writer.writerow(line)
        footer = [total_label, *(_cell(v) for v in pub.column_totals)]
        if two_way:
            footer.append(_cell(pub.total))
        writer.writerow(footer)
    writer.writerow([])
    for stat in report.statistics:
        writer.writerow([translate(stat.title), "x" if stat.value is None else f"{stat.value:g}"])
    return out.getvalue()


def write_csv(report: Report, path: Path) -> None:
    """The CSV, owner-readable only from its first byte, through a temporary file beside it
    (a failed write never leaves half a report under the final name)."""
    partial = path.with_name(path.name + ".part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(to_csv(report))
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def suppression_rule() -> str:
    return _(
        "Counts from 1 to 4 are shown as x, and so are other counts chosen so that the totals "
        "cannot reveal them. Medians and averages of fewer than 5 answers are not shown."
    )


def period_text(period: Period) -> str:
    return _("Period: {start} to {end}").format(
        start=period.start.isoformat(), end=period.end.isoformat()
    )
