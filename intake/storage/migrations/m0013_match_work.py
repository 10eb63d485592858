"""Version 13: a match's first contact is a worklist kind; the reports' counts kept in the store.

- `first-contact` joins the worklist's kinds (`intake.vocabulary.WORK_KINDS`): the first contact
  a peer supporter owes a physician once they accepted the match. The item itself is the match
  (`matches.first_contact_due`, set on acceptance, closed by `first_contact_at`), listed by the
  worklist service to coordinators and to the matched peer; the kind is accepted by the store's
  checks so that either store can keep such items as rows. The vocabulary triggers of version 8
  are regenerated from the vocabulary (docs/storage.md, "Coded values").
"""

from __future__ import annotations

from typing import Any

from intake.storage.migrations.m0008_worklist import vocabulary_triggers


def apply(conn: Any) -> None:
    for name in ("contacts_vocabulary", "work_items_vocabulary", "work_attempts_vocabulary"):
        for event in ("insert", "update"):
            conn.execute(f"DROP TRIGGER IF EXISTS {name}_{event}")
    for statement in vocabulary_triggers():
        conn.execute(statement)
