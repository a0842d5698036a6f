"""A throw-away PostgreSQL cluster for the lake tests and `vetopito bench --backend lake` (Debian's
`postgresql` 15, which `.ci/run` installs): `initdb` in a temp directory, started on a free loopback port with its socket in that
directory, as the non-root `postgres` system user when run as root (initdb refuses root), trust
authentication on loopback only, fsync off (the cluster is thrown away). `Cluster.stop` ends it.

Each lake a test needs is a database of its own in the cluster (`create_database`): an empty one is
made in about 0.15 s, a copy of a template (`CREATE DATABASE … TEMPLATE`, the catalog of a lake
built once) as fast, so a test gets a fresh lake instead of sharing one.

`start(root, reuse=True)` starts the cluster already under `root` again (the benchmark keeps its
lakes between runs, `bench.lake`), and `stop(keep=True)` shuts it down cleanly and keeps it.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

BIN = Path(os.environ.get("VETOVOIMA_PG_BIN", "/usr/lib/postgresql/15/bin"))
SYSTEM_USER = "postgres"


def available() -> bool:
    return (BIN / "initdb").exists() and (BIN / "pg_ctl").exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(args: list[str], **kwargs) -> None:
    done = subprocess.run(args, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")


def _as_owner() -> dict:
    """Run the server's programs as the `postgres` system user when we are root."""
    if os.geteuid() != 0:
        return {}
    entry = pwd.getpwnam(SYSTEM_USER)
    return {"user": entry.pw_uid, "group": entry.pw_gid}


@dataclass
class Cluster:
    root: Path
    port: int
    user: str = "postgres"
    _names: itertools.count = field(default_factory=lambda: itertools.count(1))

    def conninfo(self, dbname: str) -> str:
        return f"dbname={dbname} host=127.0.0.1 port={self.port} user={self.user}"

    def lake(self, dbname: str) -> str:
        """The `VETOVOIMA_DB` of the lake whose catalog is database `dbname`."""
        return f"ducklake:postgres:{self.conninfo(dbname)}"

    def new_name(self, prefix: str = "lake") -> str:
        return f"{prefix}_{os.getpid()}_{next(self._names)}"

    def _client(self, program: str, *args: str) -> None:
        _run([str(BIN / program), "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, *args])

    def create_database(self, name: str, template: str | None = None) -> str:
        self._client("createdb", *(["-T", template] if template else []), name)
        return name

    def drop_database(self, name: str) -> None:
        self._client("dropdb", "--if-exists", "--force", name)

    def databases(self) -> list[str]:
        """The cluster's own databases, less PostgreSQL's (`postgres`, `template0`, `template1`)."""
        done = subprocess.run([str(BIN / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user,
                               "-d", "postgres", "--list", "--tuples-only", "--no-align"],
                              capture_output=True, text=True, check=True)
        names = {line.split("|")[0] for line in done.stdout.splitlines() if "|" in line}
        return sorted(names - {"postgres", "template0", "template1"})

    def stop(self, *, keep: bool = False) -> None:
        """Stop the server; its folder is removed unless `keep` (then the shutdown is a clean one,
        so the next `start(root, reuse=True)` needs no recovery)."""
        stop_server(self.root, fast=keep)
        if not keep:
            shutil.rmtree(self.root, ignore_errors=True)


def stop_server(root: Path, *, fast: bool = False) -> None:
    """Stop a server of a cluster under `root` if one runs (a run that was killed may have left it)."""
    if (root / "data" / "postmaster.pid").exists():
        subprocess.run([str(BIN / "pg_ctl"), "-D", str(root / "data"), "-m", "fast" if fast else "immediate",
                        "-w", "stop"], check=False, capture_output=True, cwd=root, **_as_owner())


def start(root: Path, *, reuse: bool = False) -> Cluster:
    """A new cluster under `root` (made, and given to the server's user), started and ready; with
    `reuse`, the cluster already there if there is one (on a new port)."""
    root.mkdir(parents=True, exist_ok=True)
    owner = _as_owner()
    if owner:
        os.chown(root, owner["user"], owner["group"])
    data = root / "data"
    if not (reuse and (data / "PG_VERSION").exists()):
        _run([str(BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync",
              "-E", "UTF8", "--locale", "C"], cwd=root, **owner)
    else:
        stop_server(root)  # a killed run's server, still on its old port
    port = _free_port()
    options = (f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off -c synchronous_commit=off "
               "-c full_page_writes=off -c max_connections=200")
    _run([str(BIN / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-o", options,
          "-w", "-t", "120", "start"], cwd=root, **owner)
    return Cluster(root, port)
