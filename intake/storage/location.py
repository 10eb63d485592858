"""Where a store is, and whether one exists there (no driver needed)."""

from __future__ import annotations

from pathlib import Path


def store_exists(path: Path) -> bool:
    """A store exists once it has content; an empty file is what an interrupted creation leaves."""
    try:
        return path.stat().st_size > 0
    except FileNotFoundError:
        return False
