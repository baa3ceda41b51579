"""Tortoise's asyncpg backend, with a bounded wait for a pooled connection.

Named as the tortoise engine of PostgreSQL connections (storage/database.py). Tortoise takes
pooled connections with a bare `pool.acquire()`, so with every connection busy, or a server that
does not answer, a request would queue for as long as that lasted. asyncpg applies an acquire's
timeout to the connect behind it and to the release after it (the reset, waiting out a cancelled
statement), so bounding acquire() bounds all three.
"""

from __future__ import annotations

import logging
from typing import Any

import asyncpg
from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.backends.base.client import TransactionContext, TransactionContextPooled
from tortoise.connection import get_connections

from storage.database import is_database_unavailable

log = logging.getLogger(__name__)

# asyncpg.create_pool's own defaults, which the Pool constructor needs spelled out.
_POOL_DEFAULTS: dict[str, Any] = {
    "max_queries": 50_000,
    "max_inactive_connection_lifetime": 300.0,
    "record_class": asyncpg.Record,
}


class BoundedPool(asyncpg.Pool):
    __slots__ = ("_acquire_timeout",)

    def __init__(self, *args: Any, acquire_timeout: float | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[no-untyped-call]
        self._acquire_timeout = acquire_timeout

    def acquire(self, *, timeout: float | None = None) -> Any:
        bounded = self._acquire_timeout if timeout is None else timeout
        return super().acquire(timeout=bounded)  # type: ignore[no-untyped-call]

    async def release(
        self,
        connection: Any,
        *,
        timeout: float | None = None,  # noqa: ASYNC109  # asyncpg's own signature
    ) -> None:
        try:
            await super().release(connection, timeout=timeout)  # type: ignore[no-untyped-call]
        except Exception as exc:
            if not is_database_unavailable(exc):
                raise
            # The statements done on the connection stand (a COMMIT went through); only its
            # reset for the next user failed, because the server cut it. asyncpg has already
            # terminated it and freed its slot, so failing the caller here would only make a
            # client retry work that was done.
            log.info("a pooled connection was cut on release: %r", exc)


class ReleasingTransactionContext(TransactionContextPooled):
    """Tortoise's pooled transaction, giving its connection back when BEGIN fails.

    tortoise 1.1.9 acquires the connection and points the task's connection context at the
    transaction before sending BEGIN; if BEGIN raises (the server cut the connection, a
    statement timeout), `__aexit__` never runs, so the connection never returns to the pool
    and the task keeps routing its queries to the dead transaction. A database outage of a
    few minutes would drain the pool for good.
    """

    __slots__ = ()

    async def __aenter__(self) -> Any:
        try:
            return await super().__aenter__()
        except BaseException:
            await self._undo_enter()
            raise

    async def _undo_enter(self) -> None:
        connection = getattr(self.client, "_connection", None)
        token = getattr(self, "token", None)
        try:
            if connection is not None and self.client._parent._pool:
                await self.client._parent._pool.release(connection)
        finally:
            if token is not None:
                get_connections().reset(token)


class BoundedAsyncpgClient(AsyncpgDBClient):
    """The `acquire_timeout` credential (seconds; None waits forever) bounds every acquire."""

    def __init__(self, *, acquire_timeout: float | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.acquire_timeout = acquire_timeout

    async def create_pool(self, **kwargs: Any) -> asyncpg.Pool:
        options = {**_POOL_DEFAULTS, **kwargs}
        pool: asyncpg.Pool = await BoundedPool(
            None, acquire_timeout=self.acquire_timeout, **options
        )
        return pool

    def _in_transaction(self) -> TransactionContext:
        return ReleasingTransactionContext(TransactionWrapper(self), self._pool_init_lock)


client_class = BoundedAsyncpgClient  # what tortoise looks for in an engine module
