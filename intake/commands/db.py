"""`intake db …`: create, check, back up, restore, re-key and purge a store without the GUI.

For the person who installs and looks after a workstation or kiosk. Passphrases are never taken
from the command line (they would land in shell history and process lists): they are asked for
at a prompt when a terminal is attached, and otherwise read one per line from standard input.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from intake.i18n import _
from intake.passphrase import explain_passphrase, explain_pin, passphrase_problem, pin_problem
from intake.paths import default_store
from intake.storage.errors import StoreError

if TYPE_CHECKING:
    from intake.storage.pg.store import PgStore


class InputProblem(Exception):
    """What was given cannot be used (a name, a path, a line of input); exit status 2."""


# Longer display names are refused (a pasted page is a mistake, not a name).
MAX_NAME_LENGTH = 100
_NAME_MAX_BYTES = 255  # the longest file name most file systems accept


def _check_path(path: Path, *, must_exist: bool, folder_may_be_made: bool = False) -> Path:
    """A usable file path, or an InputProblem saying why not (before anything is opened: a
    FIFO or a device would hang or be overwritten)."""
    import os  # noqa: PLC0415
    import stat  # noqa: PLC0415

    if not str(path) or str(path) in (".", ".."):
        raise InputProblem(_("Give a file name, not an empty one."))
    if len(os.fsencode(path.name)) > _NAME_MAX_BYTES:
        raise InputProblem(_("That file name is too long."))
    try:
        info = path.stat()
    except FileNotFoundError:
        if must_exist:
            raise InputProblem(_("There is no file at {path}.").format(path=path)) from None
        if not folder_may_be_made and not path.parent.is_dir():
            raise InputProblem(
                _("The folder {folder} does not exist.").format(folder=path.parent)
            ) from None
        return path
    except OSError as exc:
        raise InputProblem(
            _("{path} cannot be used: {reason}").format(path=path, reason=exc.strerror)
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputProblem(_("{path} is a folder, not a file.").format(path=path))
    if not stat.S_ISREG(info.st_mode):
        raise InputProblem(
            _("{path} is not a regular file (a device or a pipe, for instance).").format(path=path)
        )
    return path


def _display_name(value: str) -> str:
    name = value.strip()
    if not name:
        raise InputProblem(_("The name cannot be blank."))
    if len(name) > MAX_NAME_LENGTH:
        raise InputProblem(
            _("The name can have at most {limit} characters.").format(limit=MAX_NAME_LENGTH)
        )
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise InputProblem(_("The name contains a character that cannot be typed."))
    return name


def read_secret(prompt: str, *, confirm: bool = False) -> str:
    if sys.stdin.isatty():
        value = getpass.getpass(prompt)
        if confirm and getpass.getpass(_("Again: ")) != value:
            raise InputProblem(_("The two entries are not the same."))
        return value
    line = sys.stdin.readline()
    if not line:
        raise InputProblem(
            _("Expected one more line on standard input: {what}").format(
                what=prompt.strip().rstrip(":")
            )
        )
    return line.removesuffix("\n").removesuffix("\r")


def _store(args: argparse.Namespace, *, must_exist: bool = True) -> Path:
    given = args.db_store if args.db_store is not None else args.store
    path = Path(given) if given is not None else default_store()
    # A new store's folder is made with it (owner-only), as the application does.
    return _check_path(path, must_exist=must_exist, folder_may_be_made=not must_exist)


def _server(args: argparse.Namespace, *, with_store: bool = False) -> str | None:
    """The shared store's connection string (--server, else $INTAKE_SERVER), or None for the
    store file. A password is never taken in it (it would land in shell history and process
    lists): the server's password goes in the PostgreSQL password file (~/.pgpass).

    A server and --store together are refused, as the window refuses them (the line's records
    would split in two without anyone noticing), except where a command uses both
    (`with_store`: move-to-server)."""
    import os  # noqa: PLC0415

    given = getattr(args, "db_server", None) or getattr(args, "server", None)
    url = given or os.environ.get("INTAKE_SERVER") or None
    if url is None:
        return None
    store_given = getattr(args, "db_store", None) or getattr(args, "store", None)
    if store_given is not None and not with_store:
        raise InputProblem(
            _(
                "Use --store or --server, not both (a shared store's address may also come "
                "from INTAKE_SERVER): give the store file or the shared store's address."
            )
        )
    from intake.storage.pg.store import check_connection_string  # noqa: PLC0415

    if check_connection_string(url).get("password"):
        raise InputProblem(
            _(
                "Do not put the server's password in its address: keep it in the PostgreSQL "
                "password file (~/.pgpass) of the account that runs this command."
            )
        )
    return url


def _not_for_server(args: argparse.Namespace) -> None:
    if _server(args) is not None:
        raise InputProblem(
            _(
                "This command works on the store file only. For the shared store, see "
                "docs/shared-store.md (backups there are made with pg_dump and stay encrypted)."
            )
        )


def _new_passphrase(prompt: str) -> str:
    value = read_secret(prompt, confirm=True)
    problem = passphrase_problem(value)
    if problem is not None:
        raise InputProblem(explain_passphrase(problem))
    return value


def run_init(args: argparse.Namespace) -> int:
    from intake.accounts import Role  # noqa: PLC0415
    from intake.pins import hash_pin  # noqa: PLC0415
    from intake.storage.account_store import insert_account  # noqa: PLC0415
    from intake.storage.db import create_store  # noqa: PLC0415

    server = _server(args)
    path = None if server is not None else _store(args, must_exist=False)
    supervisor = _display_name(args.supervisor)
    passphrase = _new_passphrase(_("New store passphrase: "))
    pin = read_secret(_("PIN for {name}: ").format(name=supervisor), confirm=True)
    if (problem := pin_problem(pin)) is not None:
        raise InputProblem(explain_pin(problem))
    pin_hash = hash_pin(pin)
    if server is not None:
        from intake.storage.pg.store import add_supervisor, create_shared_store  # noqa: PLC0415

        create_shared_store(
            server, passphrase, initialize=add_supervisor(supervisor, pin_hash)
        ).close()
        print(_("Created the shared store on the server."))
        return 0
    assert path is not None
    store = create_store(
        path,
        passphrase,
        initialize=lambda conn: insert_account(conn, supervisor, Role.SUPERVISOR.value, pin_hash),
    )
    store.close()
    print(_("Created an encrypted store at {path}.").format(path=path))
    return 0


def run_add_account(args: argparse.Namespace) -> int:
    from intake.pins import hash_pin  # noqa: PLC0415
    from intake.storage import audit  # noqa: PLC0415
    from intake.storage.account_store import insert_account, list_accounts  # noqa: PLC0415
    from intake.storage.db import open_store  # noqa: PLC0415

    name = _display_name(args.name)
    if (server := _server(args)) is not None:
        return _add_shared_account(server, name, args.role)
    store = open_store(_store(args), read_secret(_("Store passphrase: ")))
    try:
        taken = {a.display_name.casefold() for a in list_accounts(store)}
        if name.casefold() in taken:
            raise InputProblem(_("An account named {name} already exists.").format(name=name))
        pin = read_secret(_("PIN for {name}: ").format(name=name), confirm=True)
        if (problem := pin_problem(pin)) is not None:
            raise InputProblem(explain_pin(problem))
        pin_hash = hash_pin(pin)
        with store.transaction() as conn:
            account_id = insert_account(conn, name, args.role, pin_hash)
            audit.append(conn, None, "create", account_id, f"account role={args.role}")
    finally:
        store.close()
    print(_("Added {name}; they can now sign in with their PIN.").format(name=name))
    return 0


def _add_shared_account(server: str, name: str, role: str) -> int:
    from intake.pins import hash_pin  # noqa: PLC0415
    from intake.storage.pg.store import open_shared_store  # noqa: PLC0415

    store = open_shared_store(server, read_secret(_("Store passphrase: ")))
    try:
        taken = {a.display_name.casefold() for a in store.list_accounts()}
        if name.casefold() in taken:
            raise InputProblem(_("An account named {name} already exists.").format(name=name))
        pin = read_secret(_("PIN for {name}: ").format(name=name), confirm=True)
        if (problem := pin_problem(pin)) is not None:
            raise InputProblem(explain_pin(problem))
        store.add_account(name, role, hash_pin(pin), audited=True)
        from intake.storage.pg.security import row_security_on  # noqa: PLC0415

        needs_login = row_security_on(store)
    finally:
        store.close()
    if needs_login:  # the server lets each person in only through their own login
        print(
            _(
                "Added {name}. They can sign in once their server login is made and mapped: "
                "intake db map-account --name NAME says which."
            ).format(name=name)
        )
        return 0
    print(_("Added {name}; they can now sign in with their PIN.").format(name=name))
    return 0


def _owner_store(args: argparse.Namespace) -> PgStore:
    """The shared store opened with the owner's address (row-level security is switched on and
    accounts mapped by the line's owner role only)."""
    server = _server(args)
    if server is None:
        raise InputProblem(_("This command is for the shared store: give --server URL."))
    from intake.storage.errors import ServerRightsMissing  # noqa: PLC0415
    from intake.storage.pg.security import owns_the_line  # noqa: PLC0415
    from intake.storage.pg.store import open_shared_store  # noqa: PLC0415

    store = open_shared_store(server, read_secret(_("Line passphrase (shared store): ")))
    if not owns_the_line(store):
        store.close()
        raise ServerRightsMissing()
    return store


def run_row_security(args: argparse.Namespace) -> int:
    """Switch on who-sees-what on the server (docs/shared-store.md, "Accounts and server
    roles"): once, with the owner's address; running it again changes nothing."""
    from intake.storage.errors import OwnerCannotMakeGroups  # noqa: PLC0415
    from intake.storage.pg.security import (  # noqa: PLC0415
        enable_row_security,
        groups_out_of_reach,
        row_security_on,
    )

    store = _owner_store(args)
    try:
        if row_security_on(store):
            print(_("Row-level security is already on for this shared store; nothing changed."))
            return 0
        if (owner := groups_out_of_reach(store)) is not None:
            raise OwnerCannotMakeGroups(owner)
        with store.writing() as w:
            enable_row_security(w.conn, in_transaction=True)
            w.audit(None, "edit", None, "row security on")
    finally:
        store.close()
    print(
        _(
            "Row-level security is on. Map each person's server login to their account with: "
            "intake db map-account --name NAME --login LOGIN"
        )
    )
    return 0


def run_map_account(args: argparse.Namespace) -> int:
    """Let a server login role (made by the server's administrator, with its own password) act
    as one line account: supervisors and coordinators join the group that reads everything,
    anyone else the group that reads their own."""
    from intake.accounts import Role  # noqa: PLC0415
    from intake.services.accounts import suggested_login  # noqa: PLC0415
    from intake.storage.errors import OwnerCannotMakeGroups  # noqa: PLC0415
    from intake.storage.pg.security import (  # noqa: PLC0415
        groups_out_of_reach,
        login_exists,
        map_account,
        row_security_on,
    )

    name = _display_name(args.name)
    store = _owner_store(args)
    try:
        if not row_security_on(store):
            raise InputProblem(
                _("Row-level security is not on yet: run intake db row-security first.")
            )
        found = [a for a in store.list_accounts() if a.display_name.casefold() == name.casefold()]
        if not found:
            raise InputProblem(_("No account is named {name}.").format(name=name))
        if len(found) > 1:
            raise InputProblem(
                _(
                    "{count} accounts are named {name}, so which one this login is for cannot be "
                    "told. Nothing was changed."
                ).format(count=len(found), name=name)
            )
        # Unless given, the login named from the account's id, as the console names it: the
        # server keeps login names in clear, and a person's name must not be one.
        login = args.login or suggested_login(found[0].id)
        if not login_exists(store, login):
            raise InputProblem(
                _(
                    "The server has no login named {login}. Its administrator creates it first "
                    "(CREATE ROLE {login} LOGIN PASSWORD …), then run this again."
                ).format(login=login)
            )
        if (owner := groups_out_of_reach(store)) is not None:
            raise OwnerCannotMakeGroups(owner)
        account = found[0]
        holder = store.query(
            "SELECT id FROM accounts WHERE db_role = %s AND id <> %s", (login, account.id)
        )
        if holder:
            raise InputProblem(
                _(
                    "The server login {login} already acts for another account. Give each "
                    "person their own login."
                ).format(login=login)
            )
        with store.writing() as w:
            map_account(
                w.conn,
                account.id,
                login,
                supervisor=account.role in (Role.SUPERVISOR, Role.COORDINATOR),
                in_transaction=True,
            )
            w.audit(None, "edit", account.id, "account mapped to a server login")
    finally:
        store.close()
    print(_("{name} now connects as the server login {login}.").format(name=name, login=login))
    return 0


def _check_shared(server: str) -> int:
    from intake.storage.pg.store import open_shared_store  # noqa: PLC0415

    store = open_shared_store(server, read_secret(_("Store passphrase: ")))
    try:
        problems = store.verify_audit()
    finally:
        store.close()
    if not problems:
        print(_("The shared store opens with this passphrase; the audit log is complete."))
        return 0
    for problem in problems:
        print(f"audit row {problem.seq}: {problem.what}", file=sys.stderr)  # as `db check`
    print(
        _(
            "The shared store's audit log was changed on the server. Nothing was changed here; "
            "tell the coordinator of your line and compare with a pg_dump backup."
        ),
        file=sys.stderr,
    )
    return 1


def run_check(args: argparse.Namespace) -> int:
    from intake.storage.maintenance import check_store  # noqa: PLC0415

    if (server := _server(args)) is not None:
        return _check_shared(server)
    path = _store(args)
    report = check_store(path, read_secret(_("Store passphrase: ")))
    if report.ok:
        print(
            _(
                "{path}: every page is intact, encrypted and authentic; the audit log is complete."
            ).format(path=path)
        )
        return 0
    for line in report.integrity + report.cipher + report.schema + report.audit:
        print(line, file=sys.stderr)
    if report.head is not None and not (report.integrity or report.cipher or report.audit):
        title, advice = report.head.explain()
        print(_("{path}: {title}. {advice}").format(path=path, title=title, advice=advice))
        return 1
    print(
        _(
            "{path}: the store is damaged or has been tampered with. It was left as it is; "
            "restore it from a backup with: intake db restore BACKUP"
        ).format(path=path),
        file=sys.stderr,
    )
    return 1


def run_backup(args: argparse.Namespace) -> int:
    from intake.storage.db import open_store  # noqa: PLC0415
    from intake.storage.maintenance import backup_store  # noqa: PLC0415

    _not_for_server(args)
    live = _store(args)
    dest = _backup_destination(Path(args.dest), live, force=args.force)
    store = open_store(live, read_secret(_("Store passphrase: ")))
    try:
        backup_store(store, dest, _new_passphrase(_("Backup passphrase: ")), None)
    finally:
        store.close()
    print(_("Backup written to {dest} and verified.").format(dest=args.dest))
    return 0


def _backup_destination(dest: Path, live: Path, *, force: bool) -> Path:
    """Never the live store (or its head), never a device or a folder, and an existing file
    only with --force."""
    from intake.storage.head import head_path  # noqa: PLC0415

    _check_path(dest, must_exist=False)
    target = dest.resolve()
    if target in (live.resolve(), head_path(live).resolve()):
        raise InputProblem(_("The backup cannot be written over the store itself."))
    if dest.exists() and not force:
        raise InputProblem(
            _("{dest} already exists. Choose another name, or add --force to replace it.").format(
                dest=dest
            )
        )
    return dest


def run_restore(args: argparse.Namespace) -> int:
    from intake.storage.maintenance import restore_store  # noqa: PLC0415

    _not_for_server(args)
    source_passphrase = read_secret(_("Backup passphrase: "))
    store_passphrase = _new_passphrase(_("Passphrase for the restored store: "))
    source = _check_path(Path(args.src), must_exist=True)
    live = _store(args, must_exist=False)
    if live.exists() and source.resolve() == live.resolve():
        raise InputProblem(_("The backup to restore is the store itself."))
    restore_store(source, source_passphrase, live, store_passphrase)
    print(_("Store restored from {src} and verified.").format(src=args.src))
    return 0


def run_rekey(args: argparse.Namespace) -> int:
    from intake.storage.maintenance import rekey_store  # noqa: PLC0415

    server = _server(args)
    current = read_secret(_("Current store passphrase: "))
    new = _new_passphrase(_("New store passphrase: "))
    if server is not None:
        from intake.storage.pg.store import open_shared_store  # noqa: PLC0415

        shared = open_shared_store(server, current)
        try:
            shared.rekey(new)
        finally:
            shared.close()
        open_shared_store(server, new).close()  # proven by reopening with the new one
    else:
        rekey_store(_store(args), current, new)
    print(_("The store passphrase was changed and verified."))
    return 0


def run_accept(args: argparse.Namespace) -> int:
    from intake.storage.maintenance import accept_store  # noqa: PLC0415

    _not_for_server(args)
    path = _store(args)
    accept_store(path, read_secret(_("Store passphrase: ")))
    print(_("{path} is now the store in use here.").format(path=path))
    return 0


def run_purge(args: argparse.Namespace) -> int:
    from intake.storage.db import open_store  # noqa: PLC0415
    from intake.storage.retention import purge, retention_days  # noqa: PLC0415
    from intake.storage.roster import purge_matching  # noqa: PLC0415

    now = datetime.now(UTC)
    if (server := _server(args)) is not None:
        from intake.storage.pg.store import open_shared_store  # noqa: PLC0415

        shared = open_shared_store(server, read_secret(_("Store passphrase: ")))
        try:
            report = shared.purge(now, None, dry_run=args.dry_run)
            # Matching's retention, as on the file (schema version 5 put it on the server).
            matched = purge_matching(
                shared, now, shared.retention_days(), None, dry_run=args.dry_run
            )
            if not args.dry_run:
                shared.vacuum()
        finally:
            shared.close()
    else:
        store = open_store(_store(args), read_secret(_("Store passphrase: ")))
        try:
            report = purge(store, now, None, dry_run=args.dry_run)
            # The same retention for matching: requesters' identities and departed peers' names.
            matched = purge_matching(store, now, retention_days(store), None, dry_run=args.dry_run)
        finally:
            store.close()
    heading = _("Dry run: nothing was deleted.") if args.dry_run else _("Purge done.")
    print(heading)
    print(
        _(
            "Contacts past {cutoff}: {contacts} shredded, {notes} notes, {callbacks} callbacks and "
            "{drafts} drafts deleted; {held} on hold kept."
        ).format(
            cutoff=report.cutoff[:10],
            contacts=report.contacts_shredded,
            notes=report.notes_deleted,
            callbacks=report.callbacks_deleted,
            drafts=report.drafts_deleted,
            held=report.held_skipped,
        )
    )
    if matched is None:
        return 0
    print(
        _(
            "Matching: requests closed before the cutoff shredded: {requests}; peers who left "
            "before it shredded: {peers}; kept on hold: {held}."
        ).format(
            requests=matched.requests_shredded,
            peers=matched.peers_shredded,
            held=matched.held_skipped,
        )
    )
    return 0


def run_move(args: argparse.Namespace) -> int:
    from intake.storage.db import open_store  # noqa: PLC0415
    from intake.storage.pg.move import move_file_to_server  # noqa: PLC0415
    from intake.storage.pg.move_setup import (  # noqa: PLC0415
        create_from_file,
        names_taken,
        shared_store_exists,
    )
    from intake.storage.pg.store import open_shared_store  # noqa: PLC0415

    server = _server(args, with_store=True)
    if server is None:
        raise InputProblem(_("Give the shared store's address with --server (or INTAKE_SERVER)."))
    path = _store(args)
    store = open_store(path, read_secret(_("Store passphrase: ")))
    try:
        if not shared_store_exists(server):
            # The line's store made from this file: its accounts are the line's, no other.
            added = create_from_file(store, server, _new_passphrase(_("New line passphrase: ")))
            print(_("Created the shared store on the server from {path}.").format(path=path))
        else:
            shared = open_shared_store(server, read_secret(_("Line passphrase (shared store): ")))
            try:
                if taken := names_taken(store, shared):
                    raise InputProblem(
                        _(
                            "The shared store already has another account named {names}. One "
                            "person keeps one account, so nothing was moved. If the shared store "
                            "is new, start again with an empty database and move this file "
                            "first: its accounts become the line's. Merging two stores that "
                            "share a person's account is not supported."
                        ).format(names=", ".join(taken))
                    )
                added = move_file_to_server(store, shared, None)
            finally:
                shared.close()
    finally:
        store.close()
    print(
        _(
            "Moved to the shared store: {contacts} contacts, {notes} notes, {callbacks} "
            "callbacks, {followups} follow-ups, {work_items} worklist items with {work_attempts} "
            "attempts, {feedback} feedback and {survey} survey answers, {drafts} drafts and "
            "{accounts} accounts (rows it already had were left as they were). {path} was not "
            "changed."
        ).format(path=path, **added)
    )
    return 0


def _guarded(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except StoreError as exc:
            title, advice = exc.explain()
            print(_("intake: {message}").format(message=f"{title}. {advice}"), file=sys.stderr)
        except (InputProblem, ValueError) as exc:
            print(_("intake: {message}").format(message=exc), file=sys.stderr)
            return 2
        except OSError as exc:
            from intake.storage.db import translate_error  # noqa: PLC0415

            typed = translate_error(exc)
            if typed is not None:
                title, advice = typed.explain()
                message = f"{title}. {advice}"
            else:
                message = _("{path} cannot be used: {reason}").format(
                    path=exc.filename or "", reason=exc.strerror or type(exc).__name__
                )
            print(_("intake: {message}").format(message=message), file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print(file=sys.stderr)
        except Exception as exc:
            # The shared store's refusals of what this login may do (a station's or a
            # person's login running an owner's command) are said, not shown as a traceback.
            if "psycopg" not in sys.modules:
                raise
            from intake.storage.pg.store import server_refusal  # noqa: PLC0415

            refused = server_refusal(exc)
            if refused is None:
                raise
            title, advice = refused.explain()
            print(_("intake: {message}").format(message=f"{title}. {advice}"), file=sys.stderr)
        return 1

    return run


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db = sub.add_parser("db", help=_("create, check, back up, restore, re-key or purge the store"))
    actions = db.add_subparsers(
        dest="action",
        required=True,
        metavar=(
            "{init,add-account,check,backup,restore,accept,rekey,move-to-server,purge,"
            "row-security,map-account}"
        ),
    )

    def action(
        name: str, help_text: str, handler: Callable[[argparse.Namespace], int]
    ) -> argparse.ArgumentParser:
        parser = actions.add_parser(name, help=help_text)
        parser.add_argument(
            "--store",
            dest="db_store",
            type=Path,
            metavar=_("PATH"),
            help=_("the store file (default: $INTAKE_STORE, else the per-user data folder)"),
        )
        parser.add_argument(
            "--server",
            dest="db_server",
            metavar="URL",
            help=_(
                "the shared store's PostgreSQL address, in place of --store "
                "(default: $INTAKE_SERVER)"
            ),
        )
        parser.set_defaults(handler=_guarded(handler))
        return parser

    init = action("init", _("create a new encrypted store and its first supervisor"), run_init)
    init.add_argument(
        "--supervisor",
        required=True,
        metavar=_("NAME"),
        help=_("display name of the first supervisor"),
    )
    add = action(
        "add-account",
        _("add a volunteer, supervisor, coordinator or peer supporter who can sign in"),
        run_add_account,
    )
    add.add_argument("--name", required=True, metavar=_("NAME"), help=_("display name"))
    add.add_argument(
        "--role",
        choices=("volunteer", "supervisor", "coordinator", "peer-supporter"),
        default="volunteer",
    )
    action("check", _("check every page and the audit log"), run_check)
    backup = action("backup", _("write a verified, encrypted backup"), run_backup)
    backup.add_argument("dest", type=Path, metavar="DEST")
    backup.add_argument(
        "--force", action="store_true", help=_("replace DEST if it is an earlier backup")
    )
    restore = action("restore", _("replace the store with a verified backup"), run_restore)
    restore.add_argument("src", type=Path, metavar="SRC")
    action(
        "accept",
        _("accept this store as the one in use here, after a deliberate restore or move"),
        run_accept,
    )
    action("rekey", _("change the store passphrase"), run_rekey)
    action(
        "row-security",
        _("shared store: have the server enforce who sees what (once, as its owner)"),
        run_row_security,
    )
    mapping = action(
        "map-account",
        _("shared store: let a person's server login act as their account"),
        run_map_account,
    )
    mapping.add_argument("--name", required=True, metavar=_("NAME"), help=_("display name"))
    mapping.add_argument(
        "--login",
        metavar=_("LOGIN"),
        help=_(
            "the person's server login role (by default the one the console suggests, named "
            "from the account's id)"
        ),
    )
    action(
        "move-to-server",
        _("copy this station's store file into the shared store given with --server"),
        run_move,
    )
    purge = action(
        "purge", _("shred free text and identifiers past the retention period"), run_purge
    )
    purge.add_argument(
        "--dry-run", action="store_true", help=_("count what would be purged, change nothing")
    )
