"""Every coded value a report can show has its label from the one vocabulary, in both
languages (issue 17): the report's channels, kinds of match, roles and outcomes are the words
History and the matching page use, never a code, never "Not recorded" for a known code."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from intake import vocabulary as v
from intake import vocabulary_labels
from intake.i18n import set_language
from intake.services.reports import UNKNOWN, build, label
from intake.storage.report_data import Period, ReportData

CATALOG = (
    Path(__file__).parents[2] / "intake" / "i18n" / "locale" / "fr" / "LC_MESSAGES" / "intake.po"
)
YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
# Kinds whose codes read the same in both languages (dates, province codes, ratings, ids, the
# program's own site names).
AS_THEY_ARE = {"month", "province", "rating", "program", "site", "count", "language"}


def _every_code() -> ReportData:
    """One row of every coded value a report reads."""
    contacts = [
        ("2026-03", channel, "BC", "en", role, outcome, 7)
        for channel in v.CONTACT_CHANNELS
        for role in v.ROLES
        for outcome in v.OUTCOMES
        if outcome != "abandoned"  # never counted (started by mistake)
    ]
    requests = [
        ("2026-03", source, "BC", "Site A", "fr", role, outside, "closed", outcome, 6)
        for source in ("phone", "kiosk", "coordinator")
        for role in v.ROLES
        for outside in (0, 1)
        for outcome in v.MATCH_OUTCOMES
    ]
    survey = [(channel, 4, 1, 5) for channel in ("closure", "kiosk")]
    feedback = [(channel, 4, 1, 5) for channel in v.CONTACT_CHANNELS]
    return ReportData(
        contacts,
        [("bc-php", 9)],
        [(r, 5) for r in ("done", "open", "overdue", "cancelled")],
        requests,
        [],
        survey,
        feedback,
    )


def _label_of(kind: str, code: str) -> vocabulary_labels.Label:
    from intake.services import reports

    tables: dict[str, dict[str, vocabulary_labels.Label]] = {
        "channel": vocabulary_labels.REPORT_CHANNELS,
        "kind": vocabulary_labels.MATCH_KINDS,
        "role": vocabulary_labels.ROLES,
        "outcome": reports.OUTCOMES,
        "followup": reports.FOLLOWUPS,
        "delay": reports.DELAYS,
        "answer": reports.ANSWERS,
    }
    return tables[kind][code]


def _translated(text: vocabulary_labels.Label) -> bool:
    context, msgid = text if isinstance(text, tuple) else (None, text)
    with CATALOG.open("rb") as po:
        catalog = read_po(po)
    message = catalog.get(msgid, context=context)
    return message is not None and bool(message.string) and not message.fuzzy


def _headings(report_lang: str) -> dict[tuple[str, str], str]:
    set_language(report_lang)  # type: ignore[arg-type]
    report = build(_every_code(), YEAR)
    shown: dict[tuple[str, str], str] = {}
    for table in report.tables:
        for kind, codes in ((table.row_kind, table.rows), (table.column_kind, table.columns)):
            for code in codes:
                shown[(kind, code)] = label(kind, code)
    return shown


def test_every_coded_value_in_a_report_has_a_label_in_both_languages() -> None:
    english, french = _headings("en"), _headings("fr")
    set_language("en")
    assert english.keys() == french.keys()
    kinds = {kind for kind, _ in english}
    assert {"channel", "kind", "role", "outcome"} <= kinds
    for key in english:
        kind, code = key
        for words in (english[key], french[key]):
            assert words, key
            assert not words.startswith("["), key
        if kind in AS_THEY_ARE:
            continue
        assert english[key] != code, key
        assert english[key] != "Not recorded", key
        if french[key] == english[key]:  # the same word in French ("Local"): translated?
            assert _translated(_label_of(kind, code)), f"no French for {key}"


@pytest.mark.parametrize(
    ("kind", "vocabulary", "codes"),
    [
        ("channel", "report-channel", v.REPORT_CHANNELS),
        ("kind", "match-kind", v.MATCH_KINDS),
        ("role", "role", v.ROLES),
        ("outcome", "outcome", v.OUTCOMES),
        ("outcome", "match-outcome", v.MATCH_OUTCOMES),
    ],
)
def test_the_report_reads_the_one_vocabulary(
    kind: str, vocabulary: str, codes: tuple[str, ...]
) -> None:
    for lang in ("en", "fr"):
        set_language(lang)  # type: ignore[arg-type]
        for code in codes:
            assert label(kind, code) == vocabulary_labels.label(vocabulary, code)
    set_language("en")
    assert label("channel", "?") == "Not recorded"
    assert UNKNOWN  # an unknown code is said, not shown as a code
