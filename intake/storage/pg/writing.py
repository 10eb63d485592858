"""What the shared store's parts (the worklist, feedback) write through: one transaction of
`store.PgWriter`. A protocol of its own, so those parts need not import the store that is built
from them (no import cycle, not even for type checking)."""

from __future__ import annotations

from typing import Any, Protocol

import psycopg


class Writing(Protocol):
    def q(self, sql: str, params: tuple[Any, ...] = ()) -> psycopg.Cursor[Any]: ...

    def audit(
        self, actor: str | None, action: str, record: str | None = None, detail: str = ""
    ) -> None: ...
