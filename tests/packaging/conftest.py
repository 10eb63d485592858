from __future__ import annotations

import os
from pathlib import Path


def pytest_ignore_collect(collection_path: Path) -> bool:
    # The bundle's tests run after `make bundle` (make bundle-smoke sets INTAKE_BUNDLE), not in
    # every `make test`: building the bundle takes minutes.
    return collection_path.name == "test_bundle.py" and "INTAKE_BUNDLE" not in os.environ
