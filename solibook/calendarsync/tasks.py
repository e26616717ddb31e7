"""Background work of calendar sync: each task is safe to run twice (the
sync compares and claims a lease per connection)."""

from django_tasks import task

from solibook.calendarsync import services


@task()
def sync_connection(*, connection_id: int, push_only: bool = False) -> None:
    services.connection_sync(connection_id=connection_id, push_only=push_only)
