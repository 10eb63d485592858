"""A child process's environment as an installed application runs: from compiled bytecode.

With PYTHONDONTWRITEBYTECODE set (this project's shells and CI) the application's modules were
compiled from source at every start, while the standard library's and PySide6's .pyc files,
installed with them, were read. The children write and read their bytecode in a temporary
PYTHONPYCACHEPREFIX (the first, untimed run fills it), never in the tree. Not a benchmark.
"""

from __future__ import annotations

import os
from pathlib import Path


def from_bytecode(folder: Path) -> dict[str, str]:
    """This process's environment, with the children's bytecode kept under `folder`."""
    env = dict(os.environ, PYTHONPYCACHEPREFIX=str(folder / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env
