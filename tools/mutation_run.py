"""`mutmut run` with a narrower test selection than pyproject's (make mutation MUTATION_TESTS=…).

mutmut reads its test selection (`pytest_add_cli_args_test_selection`) from pyproject.toml
only; its first step runs every selected test once to learn which test reaches which
function, which takes most of an hour on a shared machine when all the refusing code's tests
are selected. With MUTATION_TESTS set (test files or node ids, separated by spaces), only
those are selected, so one module can be run with the few test files that reach it.
`MUTATION_TESTS=@FILE` reads them from FILE, one a line: node ids of parametrised tests hold
spaces (tools/mutation_tests_engine.txt, the routing engine's selection).

Note: mutmut forgets every earlier verdict when the selection changes (it cannot know which
still hold), so run one module, keep its figures (tools/mutation_share.py), then the next.
"""

from __future__ import annotations

import dataclasses
import os

from mutmut import configuration
from mutmut.__main__ import cli


def main() -> None:
    tests = selection(os.environ.get("MUTATION_TESTS", ""))
    if tests:
        configuration._config = dataclasses.replace(
            configuration.config(), pytest_add_cli_args_test_selection=tests
        )
    cli()


def selection(value: str) -> list[str]:
    if value.startswith("@"):
        with open(value[1:], encoding="utf-8") as lines:
            return [line.strip() for line in lines if line.strip()]
    return value.split()


if __name__ == "__main__":
    main()
