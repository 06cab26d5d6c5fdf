"""A throwaway PostgreSQL server for the lake's tests: Debian's server binaries (installed by .ci/run), a fresh
cluster in a temporary folder, listening on 127.0.0.1 at a free port with a socket of its own, trust authentication
for its one user. Run as root, the server runs as the `postgres` user the package makes (PostgreSQL refuses root)."""

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

USER = "cakupan"


@dataclass(frozen=True)
class Server:
    port: int
    socket_dir: Path

    def conninfo(self, database: str) -> str:
        """A libpq connection string for one database of the server (TCP on loopback, as a deployment's)."""
        return f"host=127.0.0.1 port={self.port} user={USER} dbname={database}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        done = subprocess.run(
            ["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", sql, self.conninfo(database)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if done.returncode != 0:
            raise RuntimeError(f"psql failed: {done.stderr.strip()}")
        return done.stdout

    def create_database(self, name: str) -> str:
        """A new, empty database; its connection string."""
        self.psql(f'create database "{name}"')
        return self.conninfo(name)


def _binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError(
            "PostgreSQL's server is not installed (no /usr/lib/postgresql/*/bin/initdb): "
            "`apt-get install postgresql` (.ci/run does)"
        )
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@contextlib.contextmanager
def running_server() -> Iterator[Server]:
    """Start a cluster in a folder of its own under the system temp folder (which the server's user can reach, where
    a test's or a benchmark's folder may be the owner's alone), yield it, stop it and remove the folder."""
    binaries = _binaries()
    root = Path(tempfile.mkdtemp(prefix="cakupan-postgres-"))
    data, sockets, log = root / "data", root / "sockets", root / "server.log"
    sockets.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        for path in (root, sockets):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    command = [str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", USER, "--no-sync", "-E", "UTF8"]
    subprocess.run(_as_server_user(command), check=True, capture_output=True, timeout=120)
    port = _free_port()
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    start = [str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start"]
    subprocess.run(_as_server_user(start), check=True, capture_output=True, timeout=120)
    server = Server(port, sockets)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                server.psql("select 1")
                break
            except RuntimeError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield server
    finally:
        stop = [str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]
        subprocess.run(_as_server_user(stop), capture_output=True, timeout=120)
        shutil.rmtree(root, ignore_errors=True)
