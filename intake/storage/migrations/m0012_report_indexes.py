"""Version 12: covering indexes for the sponsors' reports (issue 17).

A year's report reads every contact of the period twice: its coded answers, grouped, and the
programs offered. Through the date index each row was fetched from the table (wide rows: every
page decrypted); these two indexes hold just what the report groups, so both reads stay inside
an index. Measured: tests/bench/bench_reports.py. They hold coded values and the referral codes
only (program ids, offered and chosen flags), no free text and no identifier.
"""

from typing import Any


def apply(conn: Any) -> None:
    conn.execute(
        "CREATE INDEX contacts_report ON contacts "
        "(started_at, channel, province, caller_language, role, outcome)"
    )
    conn.execute(
        "CREATE INDEX contacts_report_referrals ON contacts (started_at, referrals) "
        "WHERE referrals <> '[]'"
    )
