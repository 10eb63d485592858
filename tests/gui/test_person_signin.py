"""Signing in at a shared station with the person's own server login (row-level security on the
line's server): choose your name, type your PIN, and, when your login needs a password this
computer does not keep, your server password, asked on the sign-in page. The window then works
through your own login, so the server decides what it reads. Both languages, the real window,
the real throwaway server; each refusal from the refusing side."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from pytestqt.qtbot import QtBot

from intake.i18n import Language, _
from intake.pins import hash_pin
from intake.settings import SettingsFile
from intake.storage.pg import person
from intake.storage.pg.security import enable_row_security, map_account
from intake.storage.pg.store import open_shared_store
from intake.storage.records import RecordMissing
from intake.ui import ops
from intake.ui.app import IntakeApplication, create_qapplication
from intake.ui.signin_page import SignInPage
from tests.conftest import PASSPHRASE
from tests.gui.conftest import wait_idle
from tests.gui.texts import foreign_texts
from tests.pg_server import PASSWORD_GROUP
from tests.storage.conftest import make_shared_store, pg_dsn, pg_server
from tests.storage.helpers import contact

__all__ = ["pg_dsn", "pg_server"]  # fixtures used here

PIN_OF_ALL = "739105"
ALICE_PASSWORD = "correct horse 42"


@dataclass
class Line:
    station_address: str
    accounts: dict[str, str]
    logins: dict[str, str]
    alices_contact: str


def _as(dsn: str, role: str) -> str:
    return dsn.replace("postgresql://intake_admin@", f"postgresql://{role}@")


@pytest.fixture
def line(pg_dsn: str) -> Iterator[Line]:
    owner = make_shared_store(pg_dsn)
    tag = uuid.uuid4().hex[:8]
    names = {"alice": "Alice Tremblay", "bruno": "Bruno Roy", "dana": "Dana Okafor"}
    accounts = {
        who: owner.add_account(name, "volunteer", hash_pin(PIN_OF_ALL))
        for who, name in names.items()
    }
    logins = {who: f"intake_t{tag}_{who}" for who in ("alice", "bruno", "station")}
    with psycopg.connect(pg_dsn, autocommit=True) as admin:
        admin.execute(
            f"DO $$ BEGIN CREATE ROLE {PASSWORD_GROUP} NOLOGIN; "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
        for login in logins.values():
            admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(login)))
        alice = sql.Identifier(logins["alice"])
        admin.execute(
            sql.SQL("ALTER ROLE {} PASSWORD {}").format(alice, sql.Literal(ALICE_PASSWORD))
        )
        admin.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(PASSWORD_GROUP), alice))
        enable_row_security(admin)
        for who in ("alice", "bruno"):
            map_account(admin, accounts[who], logins[who], supervisor=False)
        admin.execute(
            sql.SQL("GRANT intake_volunteer TO {}").format(sql.Identifier(logins["station"]))
        )
    owner.close()
    alices = open_shared_store(
        person.address_as(_as(pg_dsn, logins["alice"]), logins["alice"], ALICE_PASSWORD),
        PASSPHRASE,
    )
    record = contact()
    alices.save_contact(record, accounts["alice"])
    alices.close()
    try:
        yield Line(_as(pg_dsn, logins["station"]), accounts, logins, record.id)
    finally:
        with psycopg.connect(pg_dsn, autocommit=True) as admin:
            for login in logins.values():
                admin.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(login)))


@pytest.fixture
def station(
    qtbot: QtBot, settings_file: SettingsFile, tmp_path: Path, line: Line, lang: Language
) -> Iterator[IntakeApplication]:
    """The window at a shared station, unlocked with the line passphrase: the sign-in page."""
    create_qapplication([])
    settings_file.save(settings_file.load().with_language(lang))
    app = IntakeApplication(
        tmp_path / "never.db", settings_file, server=line.station_address, outbox=tmp_path / "ob"
    )
    qtbot.addWidget(app.gate)
    app.start()
    app.gate.unlock.passphrase.setText(PASSPHRASE)
    app.gate.unlock.unlock_button.click()
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: app.gate.pages.currentWidget() is app.gate.signin, timeout=20_000)
    yield app
    qtbot.waitUntil(lambda: not ops.running(), timeout=20_000)
    if app.main_window is not None:
        app.main_window.server_poll.stop()
        app.main_window.close()
        app.main_window.deleteLater()
    app.shutdown()


def _try(qtbot: QtBot, page: SignInPage, name: str, password: str | None = None) -> None:
    page.account.setCurrentIndex(page.account.findText(name))
    page.pin.setText(PIN_OF_ALL)
    if password is not None:
        page.server_password.setText(password)
    page.signin_button.click()
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: page.signin_button.isEnabled() or not page.isVisible(), timeout=20_000)


def _says(page: SignInPage, error: type[person.StoreError]) -> bool:
    return page.banner.title.text() == _(error.title)


def test_a_password_login_is_asked_its_password_and_each_refusal_says_why(
    qtbot: QtBot, station: IntakeApplication, line: Line, lang: Language
) -> None:
    page = station.gate.signin
    assert not page.server_password.isVisibleTo(page)  # not asked until the server wants it
    _try(qtbot, page, "Dana Okafor")
    assert _says(page, person.NoServerLogin)
    _try(qtbot, page, "Alice Tremblay")
    assert _says(page, person.ServerPasswordNeeded)
    assert page.server_password.isVisibleTo(page)
    assert foreign_texts(page, lang) == []
    # Asked for it, an empty password is refused by the page itself.
    page.pin.setText(PIN_OF_ALL)
    page.signin_button.click()
    assert page.banner.title.text() == _("Enter your server password.")
    _try(qtbot, page, "Alice Tremblay", "not it")
    assert _says(page, person.ServerPasswordRefused)
    assert page.server_password.text() == ""  # forgotten after each try
    _try(qtbot, page, "Alice Tremblay", ALICE_PASSWORD)
    qtbot.waitUntil(lambda: station.main_window is not None, timeout=20_000)
    assert station.session is not None
    pg = station.session.pg  # type: ignore[attr-defined]
    assert pg.query("SELECT session_user")[0][0] == line.logins["alice"]
    assert page.server_password.text() == ""
    assert ALICE_PASSWORD not in station.settings_file.path.read_text(encoding="utf-8")


def test_a_volunteer_signed_in_cannot_open_anothers_contact_even_through_the_store(
    qtbot: QtBot, station: IntakeApplication, line: Line
) -> None:
    _try(qtbot, station.gate.signin, "Bruno Roy")
    qtbot.waitUntil(lambda: station.main_window is not None, timeout=20_000)
    assert station.session is not None
    pg = station.session.pg  # type: ignore[attr-defined]
    assert pg.session_account == line.accounts["bruno"]
    with pytest.raises(RecordMissing):
        pg.get_contact(line.alices_contact, line.accounts["bruno"])
    assert pg.query("SELECT id FROM contacts") == []
