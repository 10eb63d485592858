"""Who is acting on the shared store: an account's role, or nothing for a disabled account.

The file store's rule (`account_store.ACTIVE_ROLE`): every check that counts reads the role
here, so disabling an account in the console takes effect at once, in a window already open,
not only at the account's next sign-in. An account is disabled when `accounts.disabled_at` is
set (the console's switch), or when its PIN hash is the older marker a store moved to the
server before that column carried it (`DISABLED_PIN`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from intake.storage.pg.crypto import LineKeys
    from intake.storage.pg.writing import Writing as PgWriter

# A disabled account's PIN hash once moved to the server (`store.DISABLED_PIN`): no role.
DISABLED_PIN = "disabled"


def active_role(
    w: PgWriter,
    keys: LineKeys,
    actor: str | None,
    *,
    session_account: str | None,
    row_security: bool,
) -> str | None:
    """The actor's role in this transaction, None for no one, an unknown or a disabled account.

    On the station's own connection without row-level security the account's row is locked FOR
    SHARE, so a console change waits for the check's transaction and is seen by the next one; a
    login under row-level security cannot lock it (it has no UPDATE on `accounts`), and a
    per-person login acts for its own account only: any other actor gets no role."""
    if actor is None:
        return None
    if session_account is not None and actor != session_account:
        return None
    lock = " FOR SHARE" if session_account is None and not row_security else ""
    row = w.q(
        f"SELECT role, pin_hash, disabled_at FROM accounts WHERE id = %s{lock}", (actor,)
    ).fetchone()
    if row is None or row[2] is not None:  # disabled in the console: no role
        return None
    if keys.open("accounts", "pin_hash", actor, bytes(row[1])) == DISABLED_PIN:
        return None
    return str(row[0])
