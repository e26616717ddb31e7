"""`make run` on a free port, started and stopped as a newcomer would run it: for the
browser journeys (e2e/journeys/conftest.py) and the pages benchmark (bench/pages.py).
Standard library only, so a script can use it before Django is set up."""

import http.client
import os
import signal
import socket
import subprocess
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(port: int, path: str) -> bool:
    """Whether the server on `port` answers `path` with 200 yet."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", path)
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def start_make_run(
    root: Path, relative_var: Path, port: int, log: Path, environment: dict[str, str]
) -> subprocess.Popen:
    """`make run` with its data under `relative_var`, its output in `log`."""
    with log.open("wb") as output:
        return subprocess.Popen(  # noqa: S603 - the project's own make target
            ["make", "--no-print-directory", "run", f"VAR={relative_var}", f"PORT={port}"],  # noqa: S607
            cwd=root,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its server and workers share one process group
        )


def stop(process: subprocess.Popen) -> None:
    """The whole process group: granian and the workers `make run` started."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue
