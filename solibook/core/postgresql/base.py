"""Django's PostgreSQL backend, with a health check that costs no round trip.

With persistent connections (`CONN_MAX_AGE`) and `CONN_HEALTH_CHECKS`, Django
checks a reused connection at the start of every request with `SELECT 1`: one
more round trip on every request, the largest fixed cost of a short read such
as availability once the server is busy (each round trip waits for a backend
process to be scheduled). A server that ends a connection (a restart,
`pg_terminate_backend`, an idle timeout) says so on the socket, which becomes
readable; an idle connection nobody has spoken to has nothing to read. So the
check looks at the socket without waiting, and asks the server only when
something did arrive. A silent network failure is caught by neither check
quickly (the `SELECT 1` would wait for TCP's timeout too).

It also decodes `json` values with orjson. Django reads JSONField (`jsonb`)
itself, so this touches only JSON that SQL builds (`json_agg`,
`json_object_agg`): the marketplace search decodes hundreds of candidates'
services and free time that way, a third of its Python time with the
standard library's decoder.

`settings.tune_database` names this module as the engine for PostgreSQL.
"""

import select

import orjson
import psycopg
from django.db.backends.postgresql import base
from psycopg import pq
from psycopg.types.json import JsonLoader


class _JsonLoader(JsonLoader):
    """`json` values through orjson (which reads a memoryview as it is).
    `jsonb` keeps the loader Django registers: JSONField decodes it itself."""

    def load(self, data):
        return orjson.loads(data)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        connection.adapters.register_loader("json", _JsonLoader)
        return connection

    def is_usable(self) -> bool:
        if self.connection is None or self.connection.closed:
            return False
        pgconn = self.connection.pgconn
        if pgconn.status != pq.ConnStatus.OK:
            return False
        if pgconn.transaction_status != pq.TransactionStatus.IDLE:
            return super().is_usable()  # mid-transaction: the server decides
        try:
            # poll(), not select(): a busy server process may hold descriptors
            # above select()'s limit of 1024.
            poller = select.poll()
            poller.register(pgconn.socket, select.POLLIN)
            readable = bool(poller.poll(0))
        except psycopg.Error:  # libpq has no socket for it any more
            return False
        except OSError:
            return super().is_usable()
        # Nothing arrived since the last statement: the connection is as we left it.
        # Something did (a termination notice, an end of file, a notification):
        # `SELECT 1` reads it and tells a live connection from a dead one.
        return not readable or super().is_usable()
