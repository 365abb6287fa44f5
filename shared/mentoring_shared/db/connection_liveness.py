"""Pooled PostgreSQL connections are checked before use without a round trip: an idle connection
has nothing to read from its socket unless the server has closed it (a restart, an administrator's
pg_terminate_backend) or sent a notice. Only then is the connection asked with a real ping.
SQLAlchemy's pool_pre_ping would send a statement to the server on every checkout instead."""

from __future__ import annotations

import select

from sqlalchemy import Engine, event, exc


def check_connections_on_checkout(engine: Engine) -> None:
    @event.listens_for(engine, "checkout")
    def refuse_a_closed_connection(dbapi_connection, _record, _proxy) -> None:
        if not _alive(engine, dbapi_connection):
            # As a failed pre-ping does: this connection and every older one are replaced.
            raise exc.InvalidatePoolError("the server closed this pooled connection")


def _alive(engine: Engine, dbapi_connection) -> bool:
    if dbapi_connection.closed or getattr(dbapi_connection, "broken", False):
        return False
    poller = select.poll()  # not select.select: a worker may hold file descriptors above 1024
    poller.register(dbapi_connection.fileno(), select.POLLIN)
    if not poller.poll(0):
        return True
    try:  # a closed socket, or a notice: a real ping tells them apart
        return engine.dialect.do_ping(dbapi_connection)
    except engine.dialect.loaded_dbapi.Error:
        return False
