"""Reports over a real store: right counts, every small value hidden, and no identifier or
free text in any export (sentinel scan)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from intake.i18n import set_language
from intake.services.reports import make_report, to_csv
from intake.services.suppression import SMALLEST_SHOWN
from intake.storage.db import Store
from intake.storage.report_data import Period
from tests.matching.seed import SENTINELS, seed

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
NOW = datetime(2027, 1, 5, tzinfo=UTC)


def test_counts_add_up_and_small_values_are_hidden(store: Store, coordinator: str) -> None:
    seed(store, coordinator, contacts=600, requests=120)
    report = make_report(store, YEAR, NOW)
    tables = {t.key: t for t in report.tables}
    assert tables["contacts_month_channel"].published.total == 600
    assert tables["requests_month_channel"].published.total == 120
    assert len(tables["contacts_month_channel"].rows) == 12
    for table in report.tables:
        for value in table.published.values():
            assert value is None or value == 0 or value >= SMALLEST_SHOWN, table.key
    # Nunavut is one of five provinces drawn: its row is shown or hidden, never a count under 5.
    assert report.statistics[0].count == 96  # four in five matches had a first contact


def test_no_identifier_or_note_in_the_csv_in_either_language(
    store: Store, coordinator: str, lang: str
) -> None:
    seed(store, coordinator, contacts=300, requests=60)
    set_language(lang)
    text = to_csv(make_report(store, YEAR, NOW))
    for sentinel in SENTINELS:
        assert sentinel.casefold() not in text.casefold()
    assert "x" in text  # the rule line at least
    assert ("Période" in text) == (lang == "fr")


def test_an_empty_period_is_a_report_of_zeros(store: Store) -> None:
    report = make_report(store, Period(date(2020, 1, 1), date(2020, 1, 31)), NOW)
    assert all(t.published.total == 0 for t in report.tables)
    assert report.statistics[0].value is None


def test_the_average_is_not_published_beside_a_survey_table_with_hidden_cells() -> None:
    """Counts by rating (1-5) and channel (closure, kiosk) whose table hides four cells: the
    average, an extra weighted sum over those cells, pinned the hidden ones down (a reviewer
    recovered rating-1 kiosk = 1 and rating-5 closure = 1 from the average 3.2)."""
    from intake.services.reports import build
    from intake.storage.report_data import ReportData

    counts = {1: (0, 1), 2: (0, 6), 3: (9, 7), 4: (5, 7), 5: (1, 0)}
    survey = [
        (channel, rating, None, n)
        for rating, pair in counts.items()
        for channel, n in zip(("closure", "kiosk"), pair, strict=True)
        if n
    ]
    data = ReportData([], [], [], [], [], survey, [])
    report = build(data, YEAR)
    table = next(t for t in report.tables if t.key == "survey_helpful")
    assert None in table.published.values()  # the scenario: some cells are hidden
    average = next(s for s in report.statistics if s.key == "average_helpful")
    assert average.value is None

    # With nothing hidden, the average is published.
    plain = [("closure", rating, None, 6) for rating in (1, 2, 3, 4, 5)]
    report = build(ReportData([], [], [], [], [], plain, []), YEAR)
    average = next(s for s in report.statistics if s.key == "average_helpful")
    assert average.value == 3.0


def test_an_abandoned_call_is_not_counted_as_a_contact(store: Store, coordinator: str) -> None:
    from intake.storage.records import save_contact
    from intake.storage.report_data import read
    from tests.storage.helpers import contact

    for outcome in ("referred", "referred", "abandoned"):
        save_contact(store, contact(outcome=outcome), coordinator)
    counted = sum(row[-1] for row in read(store, YEAR, NOW.isoformat()).contacts)
    assert counted == 2


def test_a_provinces_small_sites_cannot_be_recovered_from_the_province_total() -> None:
    """Ontario: Site A 10 requests, Site B 3 (Quebec likewise). Listing Site A (10) beside
    Ontario's published total (13) gave away Site B's 3, which merging small sites was to hide."""
    from intake.services.reports import build
    from intake.storage.report_data import ReportData

    def asked(province: str, site: str, n: int) -> tuple[object, ...]:
        return ("2026-03", "phone", province, site, "en", "physician", 0, "open", None, n)

    # The merged row holds Ontario's Site B and Quebec's Site D (6): shown, so Site A is too.
    requests = [asked("ON", "Site A", 10), asked("ON", "Site B", 3)]
    requests += [asked("QC", "Site C", 10), asked("QC", "Site D", 3)]
    report = build(ReportData([], [], [], requests, [], [], []), YEAR)
    provinces = next(t for t in report.tables if t.key == "requests_province_language")
    sites = next(t for t in report.tables if t.key == "requests_site_kind")
    ontario = provinces.published.row_totals[provinces.rows.index("ON")]
    listed = [
        total
        for row, total in zip(sites.rows, sites.published.row_totals or (), strict=False)
        if row.startswith("ON · ")
    ]
    assert ontario == 13  # the province table publishes it
    if all(t is not None for t in listed):
        remainder = ontario - sum(t for t in listed if t is not None)
        assert not 0 < remainder < SMALLEST_SHOWN, (ontario, listed)


def test_a_charts_scale_is_whole_counts_from_zero_even_when_everything_is_hidden() -> None:
    """A count is never negative nor a fraction: the chart's axis starts at 0 with whole-number
    ticks, also when every bar is hidden or zero (it read -0.04 ... 0.04)."""
    from intake.services.report_pdf import table_figure
    from intake.services.reports import build
    from intake.storage.report_data import ReportData

    data = ReportData([], [], [("done", 20), ("open", 3)], [], [], [], [])
    report = build(data, Period(date(2026, 1, 1), date(2026, 1, 31)))
    for table in report.tables:
        chart = table_figure(table).axes[0]
        left, right = chart.get_xlim()
        ticks = [t for t in chart.get_xticks() if left <= t <= right]
        assert left == 0, table.key
        assert right >= 1, table.key
        assert all(float(t).is_integer() for t in ticks), (table.key, ticks)
