"""`route(request, limit=n)` ranks on a cheap key and builds only the first n in full: its
result must be exactly the full route's first n (reasons, next openings, contacts, warnings,
the 24/7 alternative) and the same exclusions, for every kind of request.

The requests are generated (every province, role, need, risk, format and channel, the flags,
topics, times over the holidays at the turn of the year) against the shipped directory and a
generated one whose programs are open, closed, on sessions or never confirmed.
"""

from __future__ import annotations

import random
import sys
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from intake.directory.load import load_directory
from intake.provinces import CODES, ROLES
from intake.routing.engine import Request, Router
from intake.timezones import zone
from intake.vocabulary import CHANNELS, MODES, NEEDS, RISKS, TOPICS

sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
from bench_routing import generated_directory  # type: ignore[import-not-found]


def generated_requests(count: int, seed: int) -> list[Request]:
    rng = random.Random(seed)
    start = datetime(2026, 12, 20, tzinfo=zone("America/Toronto"))
    return [
        Request(
            province=rng.choice(CODES),
            at=start + timedelta(minutes=rng.randrange(16 * 24 * 60)),
            role=rng.choice(ROLES),
            language=rng.choice(("en", "fr")),
            need=rng.choice(NEEDS),  # type: ignore[arg-type]
            risk=rng.choice(RISKS),
            modes=frozenset(rng.sample(MODES, rng.randint(0, 1))),
            channels=frozenset(rng.sample(CHANNELS, rng.randint(0, 2))),
            outside_community=rng.random() < 0.3,
            about_colleague=rng.random() < 0.15,
            about_family=rng.random() < 0.15,
            indigenous=rng.random() < 0.2,
            veteran=rng.random() < 0.15,
            young=rng.random() < 0.1,
            topics=frozenset(rng.sample(sorted(TOPICS), rng.randint(0, 2))),
        )
        for _ in range(count)
    ]


def _check(router: Router, requests: list[Request], limits: tuple[int, ...]) -> int:
    compared = 0
    for request in requests:
        full = router.route(request)
        for limit in limits:
            first = router.route(request, limit=limit)
            assert first.recommendations == full.recommendations[:limit], (request, limit)
            assert [r.score for r in first.recommendations] == [
                r.score for r in full.recommendations[:limit]
            ]
            assert first.excluded == full.excluded
            assert (first.crisis, first.risk) == (full.crisis, full.risk)
            compared += len(first.recommendations)
    return compared


def test_shipped_directory_first_n_is_the_full_routes_first_n() -> None:
    router = Router(load_directory())
    router.first_only_above = 0  # the cheap ranking even on the small directory
    compared = _check(router, generated_requests(1500, seed=3), (0, 1, 3, 5, 10, 1000))
    assert compared > 1500 * 10  # the requests did reach programs


@pytest.fixture(scope="module")
def generated_router(tmp_path_factory: pytest.TempPathFactory) -> Router:
    path = tmp_path_factory.mktemp("directory") / "generated.toml"
    path.write_text(generated_directory(600, seed=5), encoding="utf-8")
    router = Router(load_directory(path))
    router.first_only_above = 0
    return router


def test_generated_directory_first_n_is_the_full_routes_first_n(generated_router: Router) -> None:
    compared = _check(generated_router, generated_requests(400, seed=4), (1, 5, 12))
    assert compared > 400 * 5


def test_a_negative_limit_gives_nothing_rather_than_failing() -> None:
    router = Router(load_directory())
    request = generated_requests(1, seed=1)[0]
    assert router.route(request, limit=-1).recommendations == ()
    router.first_only_above = 0
    assert router.route(request, limit=-1).recommendations == ()


def test_small_directories_cut_the_full_route() -> None:
    router = Router(load_directory())
    for request in generated_requests(200, seed=8):
        full = router.route(request)
        assert router.route(request, limit=4) == replace(
            full, recommendations=full.recommendations[:4]
        )
