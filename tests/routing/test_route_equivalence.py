"""The full route ranks on packed keys and assembles its recommendations from shared parts; it
must give exactly what the row-by-row route gave (tests/routing/reference_route.py): the same
recommendations field for field (scores included), the same exclusions, the same JSON, byte
for byte, for every kind of request, on the shipped directory and on a generated one whose
programs are open, closed, on sessions, stale or never confirmed."""

from __future__ import annotations

import json
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from intake.directory.load import load_directory
from intake.routing.engine import Recommendation, Result, Router
from intake.routing.render import result_json

from .reference_route import route_by_rows
from .test_route_first import generated_requests

sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
from bench_routing import generated_directory  # type: ignore[import-not-found]


def _same(router: Router, seed: int, count: int) -> int:
    compared = 0
    for request in generated_requests(count, seed=seed):
        fast, slow = router.route(request), route_by_rows(router, request)
        assert fast == slow, request
        assert [r.score for r in fast.recommendations] == [r.score for r in slow.recommendations]
        assert repr(fast) == repr(slow)
        assert json.dumps(result_json(fast, request.language)) == json.dumps(
            result_json(slow, request.language)
        )
        compared += len(fast.recommendations)
    return compared


def test_shipped_directory_full_route_equals_the_row_by_row_route() -> None:
    assert _same(Router(load_directory()), seed=21, count=1200) > 1200 * 5


def test_generated_directory_full_route_equals_the_row_by_row_route(
    tmp_path: Path,
) -> None:
    path = tmp_path / "generated.toml"
    path.write_text(generated_directory(600, seed=9), encoding="utf-8")
    assert _same(Router(load_directory(path)), seed=22, count=300) > 300 * 20


@pytest.mark.parametrize("at", ["2026-12-25T11:00", "2028-06-01T03:00"])
def test_stale_facts_warn_as_before(tmp_path: Path, at: str) -> None:
    """Far enough ahead every fact is stale: the warnings built beside the shared ones."""
    from datetime import datetime

    from intake.routing.engine import Request
    from intake.timezones import zone

    router = Router(load_directory())
    moment = datetime.fromisoformat(at).replace(tzinfo=zone("America/Toronto"))
    for province in ("ON", "QC", "NU"):
        for role in ("physician", "retired", "family"):
            request = Request(province=province, at=moment, role=role, language="fr")
            fast = router.route(request)
            assert fast == route_by_rows(router, request)
            stale = [w for r in fast.recommendations for w in r.warnings if w.startswith("stale:")]
            assert bool(stale) == (moment.year == 2028)


def test_recommendations_are_made_with_every_field() -> None:
    """The full route fills a recommendation's fields without its __init__: a field added to
    Recommendation must be added there too (this lists them)."""
    assert [f.name for f in fields(Recommendation)] == [
        "program",
        "reasons",
        "open_now",
        "next_open",
        "contacts",
        "warnings",
        "alternative",
        "score",
    ]
    result: Result = Router(load_directory()).route(generated_requests(1, seed=1)[0])
    for rec in result.recommendations:
        assert set(vars(rec)) == {f.name for f in fields(Recommendation)}


def test_the_collector_waits_during_a_route_and_resumes_as_it_was() -> None:
    import gc

    router = Router(load_directory())
    request = generated_requests(1, seed=2)[0]
    seen: list[str] = []

    def watch(phase: str, _info: dict[str, int]) -> None:
        seen.append(phase)

    threshold = gc.get_threshold()
    gc.callbacks.append(watch)
    gc.set_threshold(1)  # allowed, the collector would run at every allocation
    try:
        result = router.route(request)
    finally:
        gc.set_threshold(*threshold)
        gc.callbacks.remove(watch)
    assert result.recommendations
    assert seen == []
    assert gc.isenabled()
    gc.disable()
    try:
        router.route(request)
        assert not gc.isenabled()  # left off by whoever turned it off
    finally:
        gc.enable()


def test_every_score_fits_in_its_place_in_the_packed_key() -> None:
    """The packed key keeps the score's order only for 0 <= score < _SCORE_SPAN."""
    from intake.routing.engine import _FIT, _SCORE_SPAN

    bonuses = 10 + 8 + 20 + 8  # format, channel, outside the community, language
    assert min(v for fit in _FIT.values() for v in fit.values()) >= 0  # a score never below 0
    assert max(v for fit in _FIT.values() for v in fit.values()) + bonuses < _SCORE_SPAN
    router = Router(load_directory())
    for request in generated_requests(300, seed=31):
        for rec in router.route(request).recommendations:
            assert 0 <= rec.score < _SCORE_SPAN
