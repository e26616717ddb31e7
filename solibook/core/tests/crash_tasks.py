"""A task for the task worker crash test: the first attempt notes its start and
then works (sleeps) long enough to be killed; a later attempt finishes at once."""

import time
from pathlib import Path

from django_tasks import task


@task()
def long_job(*, marker: str, seconds: float) -> int:
    path = Path(marker)
    attempts = len(path.read_text().splitlines()) if path.exists() else 0
    with path.open("a") as out:
        out.write("started\n")
    if attempts == 0:
        time.sleep(seconds)
    return attempts + 1
