"""Candidate ranking for one match request over a roster of 2,000 peers (goal: under 50 ms).

    make bench   (or: .venv/bin/python tests/bench/bench_matching.py)

The roster is read from a real encrypted store once (as the coordinator's window does when a
request is opened) and ranked; the ranking alone is timed too. Side by side, alternating in the
same run: a bare pass over the same peers that only compares each one's site (what touching
every peer costs in Python), so the ratio shows what the rules and the ordering add.
A benchmark, not a test; --quick ranks 200 peers a few times (the test suite runs that).
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from intake.pins import hash_pin
from intake.services.matching import rank, rank_for
from intake.storage.account_store import insert_account
from intake.storage.db import Store, create_store
from intake.storage.roster import (
    Conflict,
    PeerRecord,
    RequestRecord,
    add_request,
    candidates_pool,
    import_peers,
)

GOAL_MS = 50.0
SITES = [f"Site {n}" for n in range(120)]
PROVINCES = ("BC", "AB", "ON", "QC")
TOPICS = ("grief", "adverse-outcome", "complaint", "burnout", "residents")


def roster(store: Store, actor: str, count: int, rnd: random.Random) -> None:
    peers = []
    for n in range(count):
        site = rnd.choice(SITES)
        peers.append(
            PeerRecord(
                id=str(uuid.UUID(int=rnd.getrandbits(128))),
                name=f"Peer {n}",
                province=rnd.choice(PROVINCES),
                organization=f"Org {rnd.randrange(30)}",
                site=site,
                department=rnd.choice(("Emergency", "Surgery", "Family Practice", "")),
                languages=rnd.choice((("en",), ("fr",), ("en", "fr"))),
                topics=tuple(rnd.sample(TOPICS, rnd.randrange(1, 4))),
                conflicts=tuple(
                    Conflict("supervises", rnd.choice(SITES), "Surgery")
                    for _ in range(rnd.randrange(3))
                ),
                capacity=rnd.randrange(1, 4),
            )
        )
    import_peers(store, peers, actor)


def main() -> None:
    quick = "--quick" in sys.argv
    count, rounds = (200, 5) if quick else (2000, 41)
    rnd = random.Random(17)
    with tempfile.TemporaryDirectory() as folder:
        ids: list[str] = []
        store = create_store(
            Path(folder) / "store.db",
            "bench passphrase for matching",
            initialize=lambda conn: ids.append(
                insert_account(conn, "Coordinator", "supervisor", hash_pin("482916"))
            ),
        )
        actor = ids[0]
        roster(store, actor, count, rnd)
        request = RequestRecord(
            id=str(uuid.uuid4()),
            source="coordinator",
            province="BC",
            site=SITES[3],
            department="Surgery",
            language="fr",
            consent=True,
            wants_outside=True,
            topics=("grief", "adverse-outcome"),
        )
        add_request(store, request, actor)
        pool = candidates_pool(store)
        full_ms, rank_ms, bare_ms, read_ms = [], [], [], []
        for _ in range(rounds):
            start = time.perf_counter()
            ranking = rank_for(store, request)
            full_ms.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            rank(request, pool)
            rank_ms.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            bare = [p for p in pool if p.site != request.site]
            bare_ms.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            store.query("SELECT * FROM peers")
            read_ms.append((time.perf_counter() - start) * 1000)
        store.close()
    full, ranked, base, read = (statistics.median(x) for x in (full_ms, rank_ms, bare_ms, read_ms))
    print(f"roster: {count} peers, {len(ranking.candidates)} candidates, {len(bare)} off-site")
    print(f"read roster + rank (median of {rounds}): {full:.2f} ms")
    print(f"rank only (median): {ranked:.2f} ms (goal < {GOAL_MS:.0f} ms)")
    print(f"bare pass over the peers (median): {base:.3f} ms")
    print(f"bare read of the peers table (median): {read:.2f} ms")
    print(f"ratio rank/bare: {ranked / max(base, 1e-6):.1f}x")
    print(f"ratio (read + rank)/bare read: {full / max(read, 1e-6):.1f}x")
    if not quick and ranked >= GOAL_MS:
        print("GOAL MISSED")


if __name__ == "__main__":
    main()
