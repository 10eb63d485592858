"""Version 4 is reserved for the history index migration made on another branch; this
placeholder (which changes nothing) keeps the numbering gap-free until the two are merged, and
is replaced by that migration then."""

from typing import Any


def apply(conn: Any) -> None:
    del conn
