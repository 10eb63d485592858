"""The core (everything outside intake/ui) must import and run without Qt."""

import ast
import subprocess
import sys
from pathlib import Path

import intake

CORE = [
    p
    for p in Path(intake.__file__).parent.rglob("*.py")
    if "ui" not in p.relative_to(Path(intake.__file__).parent).parts
]


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_core_module_imports_qt_except_the_gui_launcher() -> None:
    offenders = {
        str(path): sorted(
            m
            for m in _imported_modules(path)
            if m.split(".")[0] in {"PySide6", "shiboken6"} or m.startswith("intake.ui")
        )
        for path in CORE
    }
    offenders = {k: v for k, v in offenders.items() if v and not k.endswith("cli.py")}
    assert offenders == {}
    assert len(CORE) >= 10  # the scan really looked at the core


def test_importing_the_whole_core_loads_no_qt() -> None:
    modules = sorted(
        ".".join(p.relative_to(Path(intake.__file__).parent.parent).with_suffix("").parts)
        for p in CORE
        if p.name != "__main__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
