"""Storage errors the interface can explain. Anything else raised by the store is a bug.

Each error carries a short title and what to do, marked for translation and translated where
shown, so the same error reads naturally in English and in French.
"""

from __future__ import annotations

from intake.i18n import N_, _


class StoreError(Exception):
    title = N_("The store could not be opened")
    advice = N_(
        "Try again. If it keeps happening, contact the person who looks after this computer."
    )

    def explain(self) -> tuple[str, str]:
        return _(self.title), _(self.advice)


class WrongPassphrase(StoreError):
    title = N_("That passphrase does not open this store")
    advice = N_(
        "Check the keyboard language and Caps Lock, then type it again. Nothing was changed."
    )


class StoreDamaged(StoreError):
    title = N_("The store file is damaged or has been tampered with")
    advice = N_(
        "The file was left exactly as it is. Restore it from a backup, or ask the person "
        "who looks after this computer for help."
    )


class StoreHeaderDamaged(StoreError):
    title = N_("The start of the store file is damaged, or the file was replaced")
    advice = N_(
        "The passphrase may well be right: the store cannot be read whatever is typed. "
        "The file was left exactly as it is. Restore the latest backup, or ask the person "
        "who looks after this computer for help."
    )


class NotEncrypted(StoreError):
    title = N_("This file is not an encrypted store")
    advice = N_("Choose the store file made by this application. Nothing was changed.")


class StoreFromFuture(StoreError):
    title = N_("This store was made by a newer version of the application")
    advice = N_("Install the newer version to open it. The store was left untouched.")


class StoreMissing(StoreError):
    title = N_("There is no store at this location")
    advice = N_("Check the store location, or create a new store.")


class StoreExists(StoreError):
    title = N_("A store already exists at this location")
    advice = N_("Open it with its passphrase instead. It was not replaced.")


class DiskFull(StoreError):
    title = N_("The disk is full or cannot be written to")
    advice = N_("Free some space on this computer, then try again. Nothing already saved was lost.")


class StoreBusy(StoreError):
    title = N_("The store is in use by another window or program")
    advice = N_("Close the other copy of the application, then try again.")


class StoreReadOnly(StoreError):
    title = N_("The store's folder cannot be written to")
    advice = N_(
        "Ask the person who looks after this computer to give you write access to the folder."
    )


class SQLCipherMissing(StoreError):
    title = N_("Encryption is not available")
    advice = N_(
        "This installation cannot encrypt the store, so it will not open it. "
        "Reinstall the application."
    )


class ConsentRefused(StoreError):
    title = N_("The caller declined note-keeping")
    advice = N_("Only coded answers are kept for this contact: no notes, names or phone numbers.")


class FollowupHeld(StoreError):
    title = N_("Someone else is working on this follow-up")
    advice = N_("It stays open in the worklist until they close it. Nothing was changed.")


class AccountLocked(StoreError):
    title = N_("Too many wrong PINs")
    advice = N_("Wait a few minutes, then try again. A supervisor can help if you forgot your PIN.")


class AccountDisabled(StoreError):
    title = N_("This account is disabled")
    advice = N_("Ask a supervisor to enable it again. Nothing was changed.")


class NotAllowed(StoreError):
    title = N_("Only a supervisor can do this")
    advice = N_("Ask the supervisor on duty.")


class BackupFailed(StoreError):
    title = N_("The backup could not be verified")
    advice = N_(
        "Nothing was replaced. Check the destination and the backup passphrase, then try again."
    )


class UnsafeSettings(StoreError):
    title = N_("This installation cannot keep the store safe")
    advice = N_(
        "A required protection could not be switched on, so the store was not opened. "
        "Reinstall the application, or ask the person who looks after this computer."
    )


class StoreReplaced(StoreError):
    title = N_("This is not the store last used here")
    advice = N_(
        "The record kept beside it belongs to another store. If you moved or restored this "
        "store on purpose, accept it with: intake db accept. Otherwise put the right file back. "
        "Nothing was changed."
    )


class StoreRolledBack(StoreError):
    title = N_("This store is older than the one last used here")
    advice = N_(
        "An older copy was put back, or its last audit entries were removed. If you restored a "
        "backup on purpose, accept it with: intake db accept. Otherwise keep this file aside and "
        "tell the person who looks after this computer. Nothing was changed."
    )


class AuditRewritten(StoreError):
    title = N_("The store's audit log was rewritten")
    advice = N_(
        "Its last entries no longer match the record kept beside the store. Keep the file aside, "
        "restore the latest backup, and tell the person who looks after this computer."
    )


class HeadMissing(StoreError):
    title = N_("The record kept beside the store is missing")
    advice = N_(
        "The small file ending in .head next to the store was removed, so a rollback cannot be "
        "ruled out. If you moved the store on purpose, accept it with: intake db accept. "
        "Nothing was changed."
    )


# Size limits: a call note of about four pages, and a person's name. Larger text is refused
# with this message (nothing is cut, nothing is lost: the draft keeps it).
MAX_NOTE_LENGTH = 10_000
MAX_NAME_LENGTH = 100


class NoteTooLong(StoreError):
    title = N_("The note is too long to save")
    advice = N_(
        "A note can have at most {limit} characters; this one has {length}. Shorten it, then "
        "save again. Nothing was lost."
    )

    def __init__(self, length: int) -> None:
        super().__init__()
        self.length = length

    def explain(self) -> tuple[str, str]:
        return _(self.title), _(self.advice).format(limit=MAX_NOTE_LENGTH, length=self.length)


class NameTooLong(StoreError):
    title = N_("The name is too long to save")
    advice = N_("A name can have at most {limit} characters. Shorten it, then save again.")

    def explain(self) -> tuple[str, str]:
        return _(self.title), _(self.advice).format(limit=MAX_NAME_LENGTH)


class StoreGone(StoreError):
    title = N_("The store file was deleted or replaced while it was open")
    advice = N_(
        "Nothing more can be saved to it. What is on screen is still here: write down what you "
        "need, close the application, then put the store back or restore it from a backup."
    )


class ServerUnreachable(StoreError):
    title = N_("The shared store's server cannot be reached")
    advice = N_(
        "Routing, the directory and the crisis route keep working. Check the network; if it "
        "keeps happening, tell the coordinator of your line."
    )


def server_did_not_answer(exc: BaseException) -> bool:
    """The server could not be reached at all: not that it answered and refused (a certificate
    not checked, a login or database refused: ServerUnreachable's typed kinds). Only then may a
    station act as if the server were down (an offline unlock, an offline kiosk exit) or say so."""
    return type(exc) is ServerUnreachable


class BadServerAddress(StoreError):
    title = N_("The shared store's address cannot be read")
    advice = N_(
        "Check the server address given at set-up, or ask the coordinator of your line for it."
    )


class InsecureServer(StoreError):
    title = N_("The shared store's server must be reached over TLS")
    advice = N_(
        "A server on another computer is only used with an encrypted connection: add "
        "sslmode=verify-full to its address. Nothing was sent."
    )


class NotOnServer(StoreError):
    title = N_("This part of the application does not use the shared server yet")
    advice = N_(
        "Calls, History and the directory work with the shared server. This screen still "
        "works only with a store on this computer; nothing was changed."
    )


class StoreNeedsOwner(StoreError):
    title = N_("The shared store must first be updated by its owner")
    advice = N_(
        "This version adds a safeguard to the line's server. Ask the person who looks after it "
        "to run any intake db command with the owner's address once; nothing was changed."
    )


class ServerCertificateRefused(ServerUnreachable):
    """The server's certificate could not be checked (the CA certificate missing or not the
    one that signed it, or the address names another host). A ServerUnreachable: a station's
    work keeps waiting for it, never set aside."""

    title = N_("The shared server's certificate could not be checked")
    advice = N_(
        "The connection was refused before anything was sent. Check that this computer has the "
        "certificate of the authority that signed the server's (for PostgreSQL, in "
        "~/.postgresql/root.crt, or the file named by sslrootcert= in the address) and that the "
        "address names the server as its certificate does; or ask the person who looks after "
        "the server."
    )


class ServerLoginRefused(ServerUnreachable):
    """The server refused the login: a wrong or missing password, a login it does not have, or
    a pg_hba.conf rule. A ServerUnreachable for the station's outbox, as above."""

    title = N_("The shared server refused this computer's sign-in")
    advice = N_(
        "Check the user name in the address and the server's password in this computer's "
        "PostgreSQL password file (~/.pgpass); or ask the person who looks after the server."
    )


class ServerDatabaseMissing(ServerUnreachable):
    """The server answered but has no database by the address's name."""

    title = N_("The shared server has no database with this name")
    advice = N_(
        "The server answered, but the database named at the end of the address does not exist "
        "there. Check the name in the address, or ask the person who looks after the server to "
        "create it (see the shared store's set-up). Nothing was sent."
    )


class ServerRightsMissing(StoreError):
    """The server refused an action to this login (InsufficientPrivilege)."""

    title = N_("This server login is not allowed to do that")
    advice = N_(
        "Commands that change the whole line (adding an account, re-keying, purging, moving a "
        "station's file in, row security, mapping logins) run with the address of the line's "
        "owner: the login that ran intake db init. Nothing was changed."
    )


class OwnerCannotMakeGroups(StoreError):
    """`intake db row-security` by an owner login that may neither create the line's server
    groups nor grant them to people's logins."""

    title = N_("The owner's login cannot set up the line's server groups")
    advice = N_(
        "Row security needs the groups intake_volunteer and intake_supervisor, and the owner's "
        "login ({owner}) must be able to grant them. Ask the server's administrator to create "
        "them and let the owner grant them:\n"
        "  CREATE ROLE intake_volunteer NOLOGIN;\n"
        "  CREATE ROLE intake_supervisor NOLOGIN;\n"
        "  GRANT intake_volunteer, intake_supervisor TO {owner} WITH ADMIN OPTION;\n"
        "then run this command again. Nothing was changed."
    )

    def __init__(self, owner: str) -> None:
        super().__init__()
        self.owner = owner

    def explain(self) -> tuple[str, str]:
        return _(self.title), _(self.advice).format(owner=self.owner)
