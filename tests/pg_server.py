"""A throwaway PostgreSQL server for the shared-store tests and benchmarks.

It runs the machine's own PostgreSQL binaries (initdb, pg_ctl, postgres). `initdb` refuses to
run as root, and CI runs as root: then the server is initialised and run as the unprivileged
`nobody` account (subprocess's `user=`/`group=`, no sudo), in a fresh folder under the system
temp folder that only that account owns. It listens on a unix socket in that folder only (no
TCP port, so servers of parallel runs never collide), with `trust` authentication for that
socket: nothing outside the folder can reach it.

Where the binaries are: $INTAKE_PG_BIN when set (that folder only); otherwise the first of
/usr/local/bin, the PATH and /usr/lib/postgresql/<version>/bin that has all three.

Tests get their server through `throwaway_server()` (or the `pg_server` fixture, which uses it),
never `running_server()` directly: without the binaries a person's run skips them, saying why,
and a CI run (`CI=true`, which `.ci/run` exports) fails. Benchmarks call `running_server()`.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

BINARIES = ("initdb", "pg_ctl", "postgres")
SUPERUSER = "intake_admin"
# Logins in this group must give their password (`require_passwords`).
PASSWORD_GROUP = "intake_password_login"
PORT = 5432  # only names the socket file (.s.PGSQL.5432) inside our own folder


class ServerUnavailable(RuntimeError):
    """No PostgreSQL binaries on this machine (the shared-store tests are skipped)."""


def find_binaries() -> Path | None:
    if configured := os.environ.get("INTAKE_PG_BIN"):
        candidates = [Path(configured)]  # that folder only, when given
    else:
        candidates = [Path("/usr/local/bin")]
        if found := shutil.which("initdb"):
            candidates.append(Path(found).parent)
        candidates.extend(
            Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
        )
    for folder in candidates:
        if all(os.access(folder / name, os.X_OK) for name in BINARIES):
            return folder
    return None


def _run_as() -> tuple[int, int] | None:
    """(uid, gid) to run the server as, or None to run it as ourselves (not root)."""
    if os.geteuid() != 0:
        return None
    entry = pwd.getpwnam(os.environ.get("INTAKE_PG_USER", "nobody"))
    return entry.pw_uid, entry.pw_gid


@dataclass
class PgServer:
    bin_dir: Path
    root: Path  # owned by the server's account: data/, the socket, the log
    run_as: tuple[int, int] | None
    durable: bool = False  # fsync on (the benchmark compares with a fully synced file)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    def dsn(self, dbname: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@/{dbname}?host={self.root}&port={PORT}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        kwargs: dict[str, object] = {}
        if self.run_as is not None:
            kwargs = {"user": self.run_as[0], "group": self.run_as[1], "extra_groups": []}
        return subprocess.run(
            list(args),
            cwd=self.root,
            capture_output=True,
            text=True,
            check=check,
            timeout=120,
            env={"PATH": os.environ.get("PATH", ""), "LC_ALL": "C", "HOME": str(self.root)},
            **kwargs,  # type: ignore[arg-type]
        )

    def init(self) -> None:
        self._run(
            str(self.bin_dir / "initdb"),
            "-D",
            str(self.data_dir),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        )

    def require_passwords(self) -> None:
        """Members of PASSWORD_GROUP sign in with their password (scram-sha-256); everyone else
        through the socket as before. For the tests of a person's own login that this
        computer's password file does not hold."""
        hba = self.data_dir / "pg_hba.conf"
        rule = f"local all +{PASSWORD_GROUP} scram-sha-256\n"
        hba.write_text(rule + hba.read_text())

    def start(self) -> None:
        options = " ".join(
            [
                f"-k {self.root}",
                "-c listen_addresses=''",
                f"-p {PORT}",
                "-c max_connections=60",
                "-c shared_buffers=16MB",
            ]
            # A test server: the OS page cache is durable enough (a killed postgres loses
            # nothing that was committed; only a machine crash would).
            + ([] if self.durable else ["-c fsync=off", "-c full_page_writes=off"])
        )
        result = self._run(
            str(self.bin_dir / "pg_ctl"),
            "-D",
            str(self.data_dir),
            "-l",
            str(self.log_file),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"PostgreSQL did not start: {result.stdout}{result.stderr}\n{self.log_tail()}"
            )

    def stop(self, mode: str = "fast") -> None:
        self._run(
            str(self.bin_dir / "pg_ctl"),
            "-D",
            str(self.data_dir),
            "-m",
            mode,
            "-w",
            "stop",
            check=False,
        )

    def log_tail(self) -> str:
        with contextlib.suppress(OSError):
            return self.log_file.read_text(errors="replace")[-2000:]
        return ""

    def create_database(self) -> str:
        """A fresh, empty database; returns its connection string."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:16]
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return self.dsn(name)

    def drop_database(self, dsn: str) -> None:
        import psycopg

        name = dsn.rsplit("/", maxsplit=1)[-1].split("?", maxsplit=1)[0]
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _base_folder(run_as: tuple[int, int] | None) -> str:
    """The temp folder, or /tmp when the server's account could not reach into it (a test's
    TMPDIR under root's own 0700 folder)."""
    base = Path(tempfile.gettempdir())
    if run_as is None:
        return str(base)
    for folder in (base, *base.parents):
        if not os.stat(folder).st_mode & 0o001:
            return "/tmp"
    return str(base)


@contextlib.contextmanager
def running_server(*, durable: bool = False) -> Iterator[PgServer]:
    """Start a throwaway server; stop it and remove its folder afterwards.

    ServerUnavailable when the machine has no PostgreSQL binaries; any other failure to start
    is raised as it is (the binaries are there, so that is a real fault)."""
    bin_dir = find_binaries()
    if bin_dir is None:
        raise ServerUnavailable(
            "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found "
            + (
                f"in $INTAKE_PG_BIN ({os.environ['INTAKE_PG_BIN']})"
                if os.environ.get("INTAKE_PG_BIN")
                else "in /usr/local/bin, the PATH or /usr/lib/postgresql/*/bin"
            )
        )
    run_as = _run_as()
    root = Path(tempfile.mkdtemp(prefix="intake-pg-", dir=_base_folder(run_as)))
    try:
        if run_as is not None:
            os.chown(root, *run_as)
        os.chmod(root, 0o700)
        server = PgServer(bin_dir, root, run_as, durable)
        server.init()
        server.require_passwords()
        server.start()
        try:
            yield server
        finally:
            server.stop("immediate")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def required() -> bool:
    """Is a missing server a failure here? Under CI (`CI=true`, as `.ci/run` exports) it is."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def unavailable(exc: ServerUnavailable) -> NoReturn:
    """Skip the calling test with the reason, or fail it under CI."""
    import pytest

    if required():
        pytest.fail(f"CI needs the shared-store test server: {exc}", pytrace=False)
    pytest.skip(f"shared-store tests skipped: {exc}")


@contextlib.contextmanager
def throwaway_server(*, durable: bool = False) -> Iterator[PgServer]:
    """`running_server()` for a test: without PostgreSQL binaries the test is skipped with the
    reason on a person's machine and fails under CI (see `unavailable`)."""
    with contextlib.ExitStack() as stack:
        try:
            server = stack.enter_context(running_server(durable=durable))
        except ServerUnavailable as exc:
            unavailable(exc)
        yield server
