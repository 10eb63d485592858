"""The storage suite runs on both stores (issue 18): every tests/storage/test_*.py file either
uses the parametrized fixture `any_store` (the SQLCipher file and the shared PostgreSQL store,
tests/storage/conftest.py), or says at its top why it is about one store only, so the suite
cannot drift back to testing the file alone. In a file that does use `any_store`, a test that
takes a single store's fixture directly says why just above itself.

The markers, each followed by the reason (which may go on over the next comment lines):
    # One store only (the SQLCipher file): <why>
    # One store only (the shared server): <why>
    # One store only: <why, naming the file or the server>
    # Both stores in every test: <why> (a move from the file into the server)
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

HERE = Path(__file__).parent
PARAMETRIZED = {"any_store", "any_actor"}
# Fixtures that give one store only (tests/conftest.py, tests/storage/conftest.py).
SINGLE_STORE = {"store", "store_path", "existing_store", "pg_dsn", "pg_server"}
MARKER = re.compile(
    r"^# (One store only|Both stores in every test)(?P<which> \([^)]+\))?: (?P<why>.+)$"
)
NAMED = re.compile(r"\b(file|server|SQLCipher|PostgreSQL)\b")  # which store it is about
FILES = sorted(HERE.glob("test_*.py"))


def _header(source: str) -> list[str]:
    """The lines before the first import: the module's comments and docstring."""
    lines = []
    for line in source.splitlines():
        if line.startswith(("import ", "from ")) and not line.startswith("from __future__"):
            break
        lines.append(line)
    return lines


def _marked(lines: list[str]) -> str | None:
    for line in lines:
        if found := MARKER.match(line.strip()):
            return (found["which"] or "").strip(" ()") + ": " + found["why"]
    return None


def _tests(tree: ast.Module) -> list[ast.FunctionDef]:
    return [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")]


def _fixture_names(tree: ast.Module) -> set[str]:
    """Every parameter name of the module's functions (tests and the fixtures it builds)."""
    return {
        arg.arg
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        for arg in node.args.args
    }


def test_the_storage_suite_is_found() -> None:
    assert len(FILES) > 40
    assert Path(__file__) in FILES


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_file_runs_on_both_stores_or_says_why_not(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    why = _marked(_header(source))
    if why is not None:
        assert NAMED.search(why), f"{path.name}: say which store it is about: {why!r}"
        return
    if path.name == Path(__file__).name:
        return  # this guard reads files; it opens no store
    assert _fixture_names(tree) & PARAMETRIZED, (
        f"{path.name} neither uses the parametrized fixture `any_store` nor says at its top "
        "why it is about one store only ('# One store only: ...')"
    )
    lines = source.splitlines()
    unexplained = []
    for test in _tests(tree):
        single = {a.arg for a in test.args.args} & SINGLE_STORE
        first = min([test.lineno, *(d.lineno for d in test.decorator_list)])
        if single and not _marked(lines[max(0, first - 4) : first - 1]):
            unexplained.append(f"{test.name} {sorted(single)}")
    assert unexplained == [], (
        f"{path.name}: these take one store's fixture directly: use `any_store`, or say why "
        "just above each ('# One store only: ...')"
    )


def test_a_file_that_says_nothing_is_refused(tmp_path: Path) -> None:
    """The guard itself, from the refusing side: a file on one store saying nothing fails, a
    reason without the store it is about fails, a reason naming it passes."""
    plain = '"""Something."""\n\nfrom x import y\n\n\ndef test_a(store): ...\n'
    assert _marked(_header(plain)) is None
    assert not _fixture_names(ast.parse(plain)) & PARAMETRIZED
    vague = "# One store only: because\n" + plain
    assert _marked(_header(vague)) == ": because"
    assert not NAMED.search(": because")
    marked = "# One store only (the SQLCipher file): its page cache\n" + plain
    assert _marked(_header(marked)) == "the SQLCipher file: its page cache"
    assert NAMED.search("the SQLCipher file: its page cache")
    late = plain + "\n# One store only: the file\n"
    assert _marked(_header(late)) is None  # below the imports is not at its top
