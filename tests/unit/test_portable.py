"""Windows and macOS as well as Linux: no code path imports a module one platform lacks unless
it stands under a platform check (`if sys.platform == ...` or `if os.name == ...`).

A `try: import fcntl / except ImportError` does not count: that is how the store's lock used to
be skipped without a word on Windows.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import intake

# Modules that exist on POSIX systems only, and on Windows only (Python 3.11 library reference,
# "Availability").
POSIX_ONLY = {
    "fcntl", "termios", "tty", "pty", "pwd", "grp", "resource", "posix", "syslog", "crypt",
    "spwd", "nis", "ossaudiodev", "curses", "readline", "pipes",
}  # fmt: skip
WINDOWS_ONLY = {"msvcrt", "winreg", "winsound", "_winapi", "nt", "_overlapped"}
PLATFORM_ONLY = POSIX_ONLY | WINDOWS_ONLY


_CHECKS = {("sys", "platform"), ("os", "name"), ("platform", "system")}


def _is_platform_check(test: ast.expr) -> bool:
    """`sys.platform`, `os.name` or `platform.system()` anywhere in the condition."""
    return any(
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and (node.value.id, node.attr) in _CHECKS
        for node in ast.walk(test)
    )


def unguarded_imports(source: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, guarded: bool) -> None:
        if isinstance(node, ast.Import | ast.ImportFrom) and not guarded:
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
            )
            found.extend((node.lineno, n) for n in names if n.split(".")[0] in PLATFORM_ONLY)
        if isinstance(node, ast.If) and _is_platform_check(node.test):
            for child in node.body + node.orelse:
                visit(child, True)
            return
        for child in ast.iter_child_nodes(node):
            visit(child, guarded)

    visit(ast.parse(source), False)
    return found


def test_no_platform_only_module_is_imported_outside_a_platform_check() -> None:
    package = Path(intake.__file__).parent
    sources = sorted(package.rglob("*.py"))
    offenders = {
        str(path.relative_to(package)): found
        for path in sources
        if (found := unguarded_imports(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
    assert len(sources) >= 60  # the scan really looked at the whole package


def test_the_scan_catches_what_it_should_and_allows_a_guarded_import() -> None:
    # The refusing side: each of these would break on one platform.
    assert unguarded_imports("import fcntl\n") == [(1, "fcntl")]
    assert unguarded_imports("from msvcrt import locking\n") == [(1, "msvcrt")]
    old_lock = textwrap.dedent(
        """
        def lock():
            try:
                import fcntl
            except ImportError:
                return None
        """
    )
    assert unguarded_imports(old_lock) == [(4, "fcntl")]
    # And what is allowed: the import only runs where the module exists.
    guarded = textwrap.dedent(
        """
        import sys
        if sys.platform == "win32":
            import msvcrt
        else:
            import fcntl
        """
    )
    assert unguarded_imports(guarded) == []
    assert unguarded_imports("import os\nif os.name == 'posix':\n    import pwd\n") == []
