from __future__ import annotations

import uuid

from intake.storage.roster import Conflict, PeerRecord, RequestRecord


def peer(**changes: object) -> PeerRecord:
    values: dict[str, object] = dict(
        id=str(uuid.uuid4()),
        name="Dr Jordan Peer",
        province="BC",
        organization="Fraser Division",
        site="Surrey Memorial",
        department="Emergency",
        languages=("en",),
        formats=("phone",),
        topics=("adverse-outcome",),
        conflicts=(),
        trained_on="2026-03-01",
        trained_by="PHP BC",
        capacity=2,
    )
    values.update(changes)
    return PeerRecord(**values)  # type: ignore[arg-type]


def request(**changes: object) -> RequestRecord:
    values: dict[str, object] = dict(
        id=str(uuid.uuid4()),
        source="coordinator",
        province="BC",
        site="Surrey Memorial",
        department="Surgery",
        organization="Fraser Division",
        language="en",
        consent=True,
        wants_outside=False,
        role="physician",
        format="phone",
        topics=("adverse-outcome",),
        requester_name="Dr Casey Requester",
        requester_reach="+16045550123",
    )
    values.update(changes)
    return RequestRecord(**values)  # type: ignore[arg-type]


__all__ = ["Conflict", "peer", "request"]
