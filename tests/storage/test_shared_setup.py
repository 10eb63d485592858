# One store only (the shared server): its set-up, logins, groups and TLS.
"""The shared store's set-up as the person who installs it follows docs/shared-store.md: an owner
login that is not a superuser, the groups made by the server's administrator, a station login,
TLS. Each refusal is tested from the refusing side, with the real server: a clear message in the
person's language, never a traceback.

The line's groups belong to the whole PostgreSQL server, so this module starts a server of its
own (the session's may already hold them, made by a superuser)."""

from __future__ import annotations

import datetime
import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from intake.storage import errors
from intake.storage.pg.store import _connect, open_shared_store
from tests.pg_server import PASSWORD_GROUP, PgServer, throwaway_server
from tests.storage.test_db_cli import GOOD, db

FR = {"LANG": "fr_CA.UTF-8"}


@pytest.fixture(scope="module")
def server() -> Iterator[PgServer]:
    """A server of this file's own: the line's groups belong to the whole server, and the shared
    test server may already have them from a superuser's run."""
    with throwaway_server() as started:
        yield started


def _admin(server: PgServer, *statements: str) -> None:
    with psycopg.connect(server.dsn(), autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)  # type: ignore[arg-type]


def _address(server: PgServer, login: str, database: str) -> str:
    return f"postgresql://{login}@/{database}?host={server.root}&port=5432"


@pytest.fixture(scope="module")
def owner(server: PgServer) -> str:
    """A line made as the doc says, by an owner login without superuser or CREATEROLE."""
    _admin(
        server,
        "CREATE ROLE line_owner LOGIN",
        "CREATE DATABASE intake OWNER line_owner",
    )
    address = _address(server, "line_owner", "intake")
    done = db("init", "--server", address, "--supervisor", "Sam Lee", stdin=f"{GOOD}\n246810\n")
    assert done.returncode == 0, done.stderr
    return address


def _row_security_on(address: str) -> bool:
    with psycopg.connect(address, autocommit=True) as conn:
        row = conn.execute("SELECT to_regproc('intake_me') IS NOT NULL").fetchone()
    return bool(row and row[0])


def test_row_security_without_the_right_to_make_groups_says_what_is_missing(
    server: PgServer, owner: str
) -> None:
    for env, words in (
        (None, ("cannot set up the line's server groups", "WITH ADMIN OPTION")),
        (FR, ("ne peut pas préparer les groupes", "WITH ADMIN OPTION")),
    ):
        done = db("row-security", "--server", owner, stdin=f"{GOOD}\n", env=env)
        assert done.returncode == 1
        assert "Traceback" not in done.stderr
        for word in words:
            assert word in done.stderr
        assert "CREATE ROLE intake_volunteer NOLOGIN" in done.stderr
        assert "TO line_owner WITH ADMIN OPTION" in done.stderr
    assert not _row_security_on(owner)  # nothing half done


def test_the_documented_set_up_with_groups_made_by_the_administrator(
    server: PgServer, owner: str
) -> None:
    # As the doc's step: the administrator makes the groups and lets the owner grant them.
    _admin(
        server,
        "CREATE ROLE intake_volunteer NOLOGIN",
        "CREATE ROLE intake_supervisor NOLOGIN",
        "GRANT intake_volunteer, intake_supervisor TO line_owner WITH ADMIN OPTION",
    )
    done = db("row-security", "--server", owner, stdin=f"{GOOD}\n")
    assert done.returncode == 0, done.stderr
    assert _row_security_on(owner)
    done = db("add-account", "--server", owner, "--name", "Alex Roy", stdin=f"{GOOD}\n739105\n")
    assert done.returncode == 0, done.stderr
    _admin(server, "CREATE ROLE l_alex LOGIN", "CREATE ROLE station_1 LOGIN")
    done = db(
        "map-account",
        "--server",
        owner,
        "--name",
        "Alex Roy",
        "--login",
        "l_alex",
        stdin=f"{GOOD}\n",
    )
    assert done.returncode == 0, done.stderr
    # The station login is the owner's grant, not the administrator's.
    with psycopg.connect(owner, autocommit=True) as conn:
        conn.execute("GRANT intake_volunteer TO station_1")
    with psycopg.connect(_address(server, "l_alex", "intake"), autocommit=True) as conn:
        row = conn.execute("SELECT intake_me() IS NOT NULL").fetchone()
    assert row == (True,)


def test_a_login_that_may_not_grant_an_existing_group_is_told_at_map_account(
    server: PgServer, owner: str
) -> None:
    _admin(
        server,
        "CREATE ROLE other_owner LOGIN",
        "CREATE DATABASE other_line OWNER other_owner",
    )
    other = _address(server, "other_owner", "other_line")
    done = db("init", "--server", other, "--supervisor", "Kim Tran", stdin=f"{GOOD}\n246810\n")
    assert done.returncode == 0, done.stderr
    # The groups exist (the first line's) but this owner may not grant them.
    for env, word in ((None, "cannot set up"), (FR, "ne peut pas préparer")):
        done = db("row-security", "--server", other, stdin=f"{GOOD}\n", env=env)
        assert done.returncode == 1
        assert word in done.stderr
        assert "TO other_owner WITH ADMIN OPTION" in done.stderr
        assert "Traceback" not in done.stderr
    assert not _row_security_on(other)


def _station(server: PgServer) -> str:
    return _address(server, "station_1", "intake")


@pytest.mark.parametrize(
    ("command", "stdin"),
    [
        (["purge"], f"{GOOD}\n"),
        (["rekey"], f"{GOOD}\nthe new line passphrase\n"),
        (["add-account", "--name", "Lee Park"], f"{GOOD}\n739105\n"),
        (["map-account", "--name", "Alex Roy", "--login", "station_1"], f"{GOOD}\n"),
    ],
)
def test_owner_commands_from_a_station_login_are_refused_plainly(
    server: PgServer, owner: str, command: list[str], stdin: str
) -> None:
    _documented(server, owner)
    for env, word in ((None, "not allowed"), (FR, "n’a pas le droit")):
        done = db(*command, "--server", _station(server), stdin=stdin, env=env)
        assert done.returncode == 1, done.stdout
        assert "Traceback" not in done.stderr
        assert word in done.stderr
        assert "intake db init" in done.stderr
    store = open_shared_store(owner, GOOD)  # the passphrase was not changed
    try:
        names = sorted(a.display_name for a in store.list_accounts())
    finally:
        store.close()
    assert "Lee Park" not in names


def test_moving_a_file_in_from_a_station_login_is_refused_plainly(
    server: PgServer, owner: str, store_path: Path
) -> None:
    from tests.conftest import PASSPHRASE, make_store

    _documented(server, owner)
    make_store(store_path).close()
    for env, word in ((None, "not allowed"), (FR, "n’a pas le droit")):
        done = db(
            "move-to-server",
            "--store",
            str(store_path),
            "--server",
            _station(server),
            stdin=f"{PASSPHRASE}\n{GOOD}\n",
            env=env,
        )
        assert done.returncode == 1, done.stdout
        assert "Traceback" not in done.stderr
        assert word in done.stderr


def _documented(server: PgServer, owner: str) -> None:
    """The documented set-up, once for the module (tests may run alone or in any order)."""
    with psycopg.connect(server.dsn(), autocommit=True) as conn:
        done = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'station_1'").fetchone()
    if done is None:
        test_the_documented_set_up_with_groups_made_by_the_administrator(server, owner)


def test_a_wrong_password_and_a_missing_database_each_say_so(
    server: PgServer, owner: str, tmp_path: Path
) -> None:
    _admin(
        server,
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'l_pw') THEN "
        "CREATE ROLE l_pw LOGIN PASSWORD 'the right one'; END IF; END $$",
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
        f"'{PASSWORD_GROUP}') THEN CREATE ROLE {PASSWORD_GROUP} NOLOGIN; END IF; END $$",
        f"GRANT {PASSWORD_GROUP} TO l_pw",
    )
    pgpass = tmp_path / "pgpass"
    pgpass.write_text("*:*:*:l_pw:not the right one\n")
    pgpass.chmod(0o600)
    wrong = _address(server, "l_pw", "intake")
    with pytest.raises(errors.ServerLoginRefused):
        _connect(wrong + f"&passfile={pgpass}")
    missing = _address(server, "line_owner", "no_such_line")
    with pytest.raises(errors.ServerDatabaseMissing):
        _connect(missing)
    for env, login_words, database_words in (
        ({}, "refused this computer's sign-in", "has no database with this name"),
        (FR, "a refusé la connexion de cet ordinateur", "n’a pas de base de données"),
    ):
        done = db(
            "check", "--server", wrong, stdin=f"{GOOD}\n", env={**env, "PGPASSFILE": str(pgpass)}
        )
        assert done.returncode == 1
        assert login_words in done.stderr
        assert "network" not in done.stderr
        assert "réseau" not in done.stderr
        assert "not the right one" not in done.stderr
        done = db("check", "--server", missing, stdin=f"{GOOD}\n", env=env)
        assert done.returncode == 1
        assert database_words in done.stderr
        assert "Traceback" not in done.stderr


def test_map_account_names_the_login_from_the_account_id_by_default(
    server: PgServer, owner: str
) -> None:
    from intake.accounts import Role
    from intake.services.accounts import suggested_login

    _documented(server, owner)
    done = db(
        "add-account",
        "--server",
        owner,
        "--name",
        "Coord Lise",
        "--role",
        "coordinator",
        stdin=f"{GOOD}\n739105\n",
    )
    assert done.returncode == 0, done.stderr
    # Row security is on: not "can now sign in", but what they still need.
    assert "once their server login is made and mapped" in done.stdout
    store = open_shared_store(owner, GOOD)
    try:
        account = next(a for a in store.list_accounts() if a.display_name == "Coord Lise")
    finally:
        store.close()
    assert account.role is Role.COORDINATOR
    login = suggested_login(account.id)
    assert "lise" not in login.casefold()  # a login name in clear is never a person's name
    refused = db("map-account", "--server", owner, "--name", "Coord Lise", stdin=f"{GOOD}\n")
    assert refused.returncode == 2
    assert f"CREATE ROLE {login} LOGIN" in refused.stderr
    _admin(server, f"CREATE ROLE {login} LOGIN")
    done = db("map-account", "--server", owner, "--name", "Coord Lise", stdin=f"{GOOD}\n")
    assert done.returncode == 0, done.stderr
    assert login in done.stdout
    with psycopg.connect(_address(server, login, "intake"), autocommit=True) as conn:
        row = conn.execute(
            "SELECT intake_me(), pg_has_role(session_user, 'intake_supervisor', 'MEMBER')"
        ).fetchone()
    assert row == (account.id, True)


# TLS: the same server also listening on TCP with a certificate signed by a CA of the test's
# (last in this module: the server is restarted on another port).


def _certificates(folder: Path) -> tuple[Path, Path, Path, Path]:
    """A CA, a server certificate it signs for localhost and 127.0.0.1, its key, and another
    CA that did not sign it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)

    def name(text: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])

    def ca(text: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (
            x509.CertificateBuilder()
            .subject_name(name(text))
            .issuer_name(name(text))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256())
        )
        return key, cert

    ca_key, ca_cert = ca("Test line CA")
    _, other_cert = ca("Another CA")
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name("localhost"))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    paths = folder / "root.crt", folder / "server.crt", folder / "server.key", folder / "other.crt"
    paths[0].write_bytes(ca_cert.public_bytes(pem))
    paths[1].write_bytes(cert.public_bytes(pem))
    paths[2].write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    paths[3].write_bytes(other_cert.public_bytes(pem))
    return paths


@pytest.fixture(scope="module")
def tls_port(server: PgServer, owner: str) -> int:
    """The module's server restarted with TLS on a TCP port of 127.0.0.1 (the doc's TLS set-up:
    ssl = on, a certificate and its key)."""
    _root_crt, server_crt, server_key, _ = _certificates(server.root)
    for path in (server_crt, server_key):
        if server.run_as is not None:
            os.chown(path, *server.run_as)
    server_key.chmod(0o600)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server.stop()
    done = server._run(
        str(server.bin_dir / "pg_ctl"),
        "-D",
        str(server.data_dir),
        "-l",
        str(server.log_file),
        "-o",
        f"-k {server.root} -c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories="
        f"{server.root} -c ssl=on -c ssl_cert_file={server_crt} -c ssl_key_file={server_key} "
        "-c fsync=off",
        "-w",
        "start",
        check=False,
    )
    assert done.returncode == 0, server.log_tail()
    return port


def test_a_certificate_that_cannot_be_checked_says_so(
    server: PgServer, owner: str, tls_port: int
) -> None:
    base = f"postgresql://line_owner@localhost:{tls_port}/intake?sslmode=verify-full"
    # The positive control: the CA that signed the server's certificate opens the connection.
    _connect(f"{base}&sslrootcert={server.root / 'root.crt'}").close()
    # No CA certificate where the address says, and a CA that did not sign the server's.
    for rootcert in (server.root / "no-such-folder" / "root.crt", server.root / "other.crt"):
        with pytest.raises(errors.ServerCertificateRefused):
            _connect(f"{base}&sslrootcert={rootcert}")
    for env, words in (
        ({}, "certificate could not be checked"),
        (FR, "certificat du serveur partagé n’a pas pu être vérifié"),
    ):
        done = db(
            "check",
            "--server",
            f"{base}&sslrootcert={server.root / 'no-such-folder' / 'root.crt'}",
            stdin=f"{GOOD}\n",
            env=env,
        )
        assert done.returncode == 1
        assert words in done.stderr
        assert "sslrootcert" in done.stderr
        assert "network" not in done.stderr
        assert "Traceback" not in done.stderr
    done = db(
        "check", "--server", f"{base}&sslrootcert={server.root / 'root.crt'}", stdin=f"{GOOD}\n"
    )
    assert done.returncode == 0, done.stderr
