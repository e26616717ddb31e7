"""A real Radicale CalDAV server for tests and the journey: a subprocess on a
free port, a temporary storage folder, htpasswd (plain) users, owner-only
rights. `calendar(user, name)` makes a calendar and returns its URL; the
`phone(...)` client is the master's own device writing to it."""

import contextlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import caldav


@dataclass
class Radicale:
    url: str
    folder: Path
    process: subprocess.Popen
    users: dict[str, str]

    def client(self, user: str, password: str | None = None) -> caldav.DAVClient:
        return caldav.DAVClient(
            url=f"{self.url}/{user}/",
            username=user,
            password=self.users[user] if password is None else password,
            timeout=10,
        )

    def make_calendar(self, user: str, name: str = "work") -> str:
        principal = self.client(user).principal()
        principal.make_calendar(name=name.title(), cal_id=name)
        return f"{self.url}/{user}/{name}/"

    def phone(self, user: str, calendar_url: str) -> caldav.Calendar:
        """The master's own phone: a CalDAV client of that calendar."""
        return self.client(user).calendar(url=calendar_url)

    def stop(self) -> None:
        self.process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(users: dict[str, str]) -> Radicale:
    folder = Path(tempfile.mkdtemp(prefix="radicale-"))
    (folder / "users").write_text("".join(f"{u}:{p}\n" for u, p in users.items()))
    port = _free_port()
    (folder / "config").write_text(
        "\n".join(
            [
                "[server]",
                f"hosts = 127.0.0.1:{port}",
                "[auth]",
                "type = htpasswd",
                f"htpasswd_filename = {folder / 'users'}",
                "htpasswd_encryption = plain",
                "delay = 0",
                "[storage]",
                f"filesystem_folder = {folder / 'collections'}",
                "[rights]",
                "type = owner_only",
                "[logging]",
                "level = error",
            ]
        )
        + "\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", str(folder / "config")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError("Radicale did not start")
    return Radicale(url=f"http://127.0.0.1:{port}", folder=folder, process=process, users=users)
