from __future__ import annotations

import uuid

from intake.storage.records import ContactRecord


def contact(consent: bool = True, **changes: object) -> ContactRecord:
    values: dict[str, object] = dict(
        id=str(uuid.uuid4()),
        channel="phone",
        started_at="2026-11-22T03:10:00-05:00",
        ui_language="en",
        caller_language="fr",
        role="resident",
        province="QC",
        topics=("burnout",),
        need="peer",
        risk="concern",
        referrals=(
            {"program": "qc-pamq", "reasons": ["peer-support"], "offered": True, "chosen": True},
        ),
        consent_notes=consent,
    )
    values.update(changes)
    return ContactRecord(**values)  # type: ignore[arg-type]
