"""A real Kinerja server process for tests and benchmarks: ``gunicorn kinerja.wsgi`` on a free
port, against a database of its own that the caller controls.

The test client of Django runs the view in the test's own process and transaction; some
promises of the product are about the process itself — a batch stored whole or not at all
when the server is killed in the middle of a request, many clients at once, bodies that must
not bring a worker down. Those need a real server, a real database file or database, and real
HTTP; this module provides the three:

* ``scratch_database(folder)`` — a fresh, migrated database of the same kind as the one the
  test run uses (``DATABASE_URL``): a SQLite *file* in ``folder``, or a PostgreSQL database
  ``kinerja_rel_<random>`` on the same server, dropped afterwards;
* ``ScratchDatabase.django(script)`` — run Python with Django set up against that database in
  a subprocess (to create streams and tokens without touching the test's own database);
* ``running_server(database)`` — gunicorn from this virtual environment, its workers, their
  process ids (to kill them), its log.

Nothing here is imported by the product.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
IMMEDIATE_TASKS = "django_tasks.backends.immediate.ImmediateBackend"
# What the caller's environment must not leak into the server: the demo, the test settings,
# the caller's own database.
_DROPPED = ("KINERJA_DEMO", "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "KINERJA_TASKS_BACKEND")


def is_postgres_url(url: str | None) -> bool:
    return bool(url) and url.split(":", 1)[0] in {"postgres", "postgresql", "pgsql"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ScratchDatabase:
    """A database that exists only for one test module or one benchmark."""

    def __init__(self, folder: Path, *, like: str | None = None, prefix: str = "kinerja_rel"):
        """``like``: a database URL; PostgreSQL when it names PostgreSQL (the new database
        lives on the same server), otherwise a SQLite file in ``folder``."""
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.var_dir = self.folder / "var"
        self.vendor = "postgresql" if is_postgres_url(like) else "sqlite"
        if self.vendor == "postgresql":
            parts = urlsplit(like)
            self.name = f"{prefix}_{secrets.token_hex(4)}"
            self.url = urlunsplit(parts._replace(path=f"/{self.name}"))
            self._maintenance_url = urlunsplit(parts._replace(path="/postgres"))
        else:
            self.name = str(self.folder / "db.sqlite3")
            self.url = f"sqlite:///{self.name}"
            self._maintenance_url = ""
        self.created = False

    # --- Life cycle ------------------------------------------------------------------------

    def create(self) -> None:
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(self._maintenance_url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.name}"')
        self.created = True

    def migrate(self) -> None:
        self.manage("migrate", "--noinput", "-v0")

    def drop(self) -> None:
        if not self.created:
            return
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(self._maintenance_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.created = False

    # --- Running things against it -----------------------------------------------------------

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of a Kinerja process on this database (embedded settings, no demo,
        tasks inline unless ``extra`` says otherwise)."""
        env = {k: v for k, v in os.environ.items() if k not in _DROPPED}
        env.update(
            DJANGO_SETTINGS_MODULE="kinerja.settings",
            DATABASE_URL=self.url,
            KINERJA_VAR_DIR=str(self.var_dir),
            KINERJA_TASKS_BACKEND=IMMEDIATE_TASKS,
            LOG_LEVEL="WARNING",
            PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p),
        )
        env.update(extra)
        return env

    def manage(self, *args: str, timeout: float = 300) -> str:
        """``python -m django ARGS`` in a subprocess; its output (raises when it fails)."""
        return self._run([sys.executable, "-m", "django", *args], timeout)

    def django(self, script: str, *, timeout: float = 300) -> str:
        """Run ``script`` with Django set up against this database; its standard output."""
        prelude = "import django\ndjango.setup()\n"
        return self._run([sys.executable, "-c", prelude + textwrap.dedent(script)], timeout)

    def _run(self, command: list[str], timeout: float) -> str:
        done = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
            command,
            env=self.env(),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(
                f"{' '.join(command[:3])} failed ({done.returncode}):\n{done.stderr[-4000:]}"
            )
        return done.stdout

    def query(self, sql: str, params: Sequence = ()) -> list[tuple]:
        """Rows of one statement, read straight from the database (placeholders: ``%s``)."""
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(self.url, autocommit=True) as conn:
                return conn.execute(sql, params).fetchall()
        conn = sqlite3.connect(self.name, timeout=60)
        try:
            return conn.execute(sql.replace("%s", "?"), params).fetchall()
        finally:
            conn.close()

    def scalar(self, sql: str, params: Sequence = ()):
        return self.query(sql, params)[0][0]


@contextmanager
def scratch_database(
    folder: Path, *, like: str | None = None, prefix: str = "kinerja_rel"
) -> Iterator[ScratchDatabase]:
    """A fresh, migrated database like ``like`` (default: this run's ``DATABASE_URL``)."""
    database = ScratchDatabase(
        folder, like=os.environ.get("DATABASE_URL") if like is None else like, prefix=prefix
    )
    database.create()
    try:
        database.migrate()
        yield database
    finally:
        database.drop()


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (gunicorn's workers of its master)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # The command name (2nd field) is in parentheses and may hold spaces.
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry))
    return sorted(found)


class Server:
    """``gunicorn kinerja.wsgi`` of this virtual environment on a free port."""

    def __init__(
        self,
        database: ScratchDatabase,
        *,
        workers: int = 1,
        threads: int = 8,
        timeout: int = 120,
        env: dict[str, str] | None = None,
    ):
        self.database = database
        self.workers = workers
        self.threads = threads
        self.timeout = timeout
        self.extra_env = env or {}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = database.folder / f"gunicorn-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def start(self, *, ready_within: float = 90) -> None:
        command = [
            str(BIN / "gunicorn"),
            "kinerja.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--timeout",
            str(self.timeout),
            "--graceful-timeout",
            "5",
            # Gunicorn's control socket lives at one path in the home folder by default: two
            # servers (parallel test runs) would fight over it.
            "--no-control-socket",
        ]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - this venv's gunicorn
                command,
                cwd=ROOT,
                env=self.database.env(**self.extra_env),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stopped as one
            )
        self.wait_ready(ready_within)

    def wait_ready(self, within: float = 90) -> None:
        """Until every worker runs and the server answers ``/healthz``."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log()[-4000:]}")
            if len(self.worker_pids()) >= self.workers:
                with suppress(httpx.HTTPError):
                    if httpx.get(f"{self.url}/healthz", timeout=5).status_code == 200:
                        return
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer within {within} s:\n{self.log()[-4000:]}")

    def worker_pids(self) -> list[int]:
        return _children(self.process.pid) if self.process else []

    def kill_workers(self, sig: int = signal.SIGKILL) -> list[int]:
        """Kill every worker at once (the master starts new ones)."""
        pids = self.worker_pids()
        for pid in pids:
            with suppress(ProcessLookupError):
                os.kill(pid, sig)
        return pids

    def restarted(self, old: Sequence[int], within: float = 90) -> None:
        """Wait until the killed workers ``old`` are gone and new ones answer."""
        deadline = time.monotonic() + within
        while any(pid in self.worker_pids() for pid in old):
            if time.monotonic() > deadline:
                raise RuntimeError("the killed workers did not go away")
            time.sleep(0.05)
        self.wait_ready(max(1.0, deadline - time.monotonic()))

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(15)
        self.process = None

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""


@contextmanager
def running_server(database: ScratchDatabase, **options) -> Iterator[Server]:
    """A started server (see ``Server`` for the options), stopped at the end."""
    server = Server(database, **options)
    try:
        server.start()
        yield server
    finally:
        server.stop()
