"""A transaction whose BEGIN fails gives its pooled connection back (storage/postgres.py).

BEGIN is made to fail the way a cut connection fails it, in tortoise's own wrapper: our code
path (the engine's transaction context, the pool) runs for real around it.
"""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest
from tortoise import connections
from tortoise.backends.asyncpg.client import TransactionWrapper
from tortoise.transactions import in_transaction

from models.accounts import User
from storage.database import POSTGRES_POOL_MAX
from storage.postgres import BoundedAsyncpgClient


async def test_a_failed_begin_does_not_keep_its_connection(
    running: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not running.is_services:
        pytest.skip("PostgreSQL only")
    client = connections.get("default")
    assert isinstance(client, BoundedAsyncpgClient)

    async def cut(self: TransactionWrapper) -> None:
        raise asyncpg.ConnectionDoesNotExistError("connection was closed in the middle")

    async def attempt() -> None:
        with pytest.raises(asyncpg.ConnectionDoesNotExistError):
            async with in_transaction():
                pytest.fail("BEGIN failed; the block must not run")

    monkeypatch.setattr(TransactionWrapper, "begin", cut)
    # Each in a task of its own, as requests are, and more of them than the pool holds; then
    # one in this task, whose later queries must not go to the failed transaction.
    for _ in range(POSTGRES_POOL_MAX + 2):
        await asyncio.create_task(attempt())
    await attempt()
    monkeypatch.undo()

    # Before the fix the pool was empty by now: this waited DATABASE_POOL_TIMEOUT_SECONDS and
    # failed with a pool timeout.
    async def write(handle: str) -> None:
        async with asyncio.timeout(3), in_transaction():
            await User.create(
                email=f"{handle}@agora.test", handle=handle, display_name="T", password_hash="x"
            )

    await asyncio.create_task(write("in_a_task"))
    await write("here")
    assert await User.filter(handle__in=["in_a_task", "here"]).count() == 2
    assert isinstance(connections.get("default"), BoundedAsyncpgClient)
