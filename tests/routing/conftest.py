"""Routing tests under mutation testing: a fresh router for every test.

Several routing test files build one `ROUTER` when they are imported and share it. The router
works out each province's classes, members, warnings and contacts when it is built, so a
router built once holds what the unchanged code made. mutmut imports the tests once, then
forks a process per mutant from there: a shared router would hide a changed line of the
router's set-up from every mutant run (docs/mutation.md).

mutmut sets MUTANT_UNDER_TEST (to "stats" while it maps tests to functions, then to the
mutant's name) in every process it runs tests in; only then does each test get a router built
afresh from the same programs. The normal suite is not slowed.
"""

from __future__ import annotations

import os

import pytest

from intake.routing.engine import Router


@pytest.fixture(autouse=True)
def _fresh_router_under_mutation(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not os.environ.get("MUTANT_UNDER_TEST") or request.module is None:
        return
    shared = getattr(request.module, "ROUTER", None)
    if isinstance(shared, Router):
        monkeypatch.setattr(request.module, "ROUTER", Router(shared.programs))
