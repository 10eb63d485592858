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

from intake.i18n import _
from intake.passphrase import explain_passphrase, explain_pin, passphrase_problem, pin_problem
from intake.paths import default_store
from intake.storage.errors import StoreError


class InputProblem(Exception):
    pass


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


def _store(args: argparse.Namespace) -> Path:
    return Path(args.db_store or args.store or default_store())


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

    path = _store(args)
    passphrase = _new_passphrase(_("New store passphrase: "))
    pin = read_secret(_("PIN for {name}: ").format(name=args.supervisor), confirm=True)
    if (problem := pin_problem(pin)) is not None:
        raise InputProblem(explain_pin(problem))
    pin_hash = hash_pin(pin)
    store = create_store(
        path,
        passphrase,
        initialize=lambda conn: insert_account(
            conn, args.supervisor, Role.SUPERVISOR.value, pin_hash
        ),
    )
    store.close()
    print(_("Created an encrypted store at {path}.").format(path=path))
    return 0


def run_add_account(args: argparse.Namespace) -> int:
    from intake.pins import hash_pin  # noqa: PLC0415
    from intake.storage import audit  # noqa: PLC0415
    from intake.storage.account_store import insert_account  # noqa: PLC0415
    from intake.storage.db import open_store  # noqa: PLC0415

    store = open_store(_store(args), read_secret(_("Store passphrase: ")))
    try:
        pin = read_secret(_("PIN for {name}: ").format(name=args.name), confirm=True)
        if (problem := pin_problem(pin)) is not None:
            raise InputProblem(explain_pin(problem))
        pin_hash = hash_pin(pin)
        with store.transaction() as conn:
            account_id = insert_account(conn, args.name, args.role, pin_hash)
            audit.append(conn, None, "create", account_id, f"account role={args.role}")
    finally:
        store.close()
    print(_("Added {name}; they can now sign in with their PIN.").format(name=args.name))
    return 0


def run_check(args: argparse.Namespace) -> int:
    from intake.storage.maintenance import check_store  # noqa: PLC0415

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

    store = open_store(_store(args), read_secret(_("Store passphrase: ")))
    try:
        backup_store(store, Path(args.dest), _new_passphrase(_("Backup passphrase: ")), None)
    finally:
        store.close()
    print(_("Backup written to {dest} and verified.").format(dest=args.dest))
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from intake.storage.maintenance import restore_store  # noqa: PLC0415

    source_passphrase = read_secret(_("Backup passphrase: "))
    store_passphrase = _new_passphrase(_("Passphrase for the restored store: "))
    restore_store(Path(args.src), source_passphrase, _store(args), store_passphrase)
    print(_("Store restored from {src} and verified.").format(src=args.src))
    return 0


def run_rekey(args: argparse.Namespace) -> int:
    from intake.storage.maintenance import rekey_store  # noqa: PLC0415

    current = read_secret(_("Current store passphrase: "))
    new = _new_passphrase(_("New store passphrase: "))
    rekey_store(_store(args), current, new)
    print(_("The store passphrase was changed and verified."))
    return 0


def run_accept(args: argparse.Namespace) -> int:
    from intake.storage.maintenance import accept_store  # noqa: PLC0415

    path = _store(args)
    accept_store(path, read_secret(_("Store passphrase: ")))
    print(_("{path} is now the store in use here.").format(path=path))
    return 0


def run_purge(args: argparse.Namespace) -> int:
    from intake.storage.db import open_store  # noqa: PLC0415
    from intake.storage.retention import purge  # noqa: PLC0415

    store = open_store(_store(args), read_secret(_("Store passphrase: ")))
    try:
        report = purge(store, datetime.now(UTC), None, dry_run=args.dry_run)
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
        except KeyboardInterrupt:
            print(file=sys.stderr)
        return 1

    return run


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db = sub.add_parser("db", help=_("create, check, back up, restore, re-key or purge the store"))
    actions = db.add_subparsers(
        dest="action",
        required=True,
        metavar="{init,add-account,check,backup,restore,accept,rekey,purge}",
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
        parser.set_defaults(handler=_guarded(handler))
        return parser

    init = action("init", _("create a new encrypted store and its first supervisor"), run_init)
    init.add_argument(
        "--supervisor",
        required=True,
        metavar=_("NAME"),
        help=_("display name of the first supervisor"),
    )
    add = action("add-account", _("add a volunteer or supervisor who can sign in"), run_add_account)
    add.add_argument("--name", required=True, metavar=_("NAME"), help=_("display name"))
    add.add_argument("--role", choices=("volunteer", "supervisor"), default="volunteer")
    action("check", _("check every page and the audit log"), run_check)
    backup = action("backup", _("write a verified, encrypted backup"), run_backup)
    backup.add_argument("dest", type=Path, metavar="DEST")
    restore = action("restore", _("replace the store with a verified backup"), run_restore)
    restore.add_argument("src", type=Path, metavar="SRC")
    action(
        "accept",
        _("accept this store as the one in use here, after a deliberate restore or move"),
        run_accept,
    )
    action("rekey", _("change the store passphrase"), run_rekey)
    purge = action(
        "purge", _("shred free text and identifiers past the retention period"), run_purge
    )
    purge.add_argument(
        "--dry-run", action="store_true", help=_("count what would be purged, change nothing")
    )
