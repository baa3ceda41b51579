"""Fixtures for the webhooks tests: a real worker, running in the background on the test's
queue with settings of the test's choosing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from tests.carts.shop import Shop
from tests.utils import GraphQLClient
from tests.webhooks.support import FAST

StartWorker = Callable[..., Awaitable[None]]


@pytest.fixture
def shop(gql: GraphQLClient) -> Shop:
    return Shop(gql)


@pytest.fixture
async def start_worker(running: Any, services: Any) -> AsyncIterator[StartWorker]:
    """Start the worker (`make_worker`, as `python main.py worker` runs it) with the FAST
    webhook settings and any overrides; stopped after the test."""
    from main import make_worker

    tasks: list[asyncio.Task[None]] = []

    async def start(**overrides: Any) -> None:
        settings = running.settings.replace(**(FAST | overrides))
        await services.queue.connect()
        worker = make_worker(services.queue, in_process=True, settings=settings)
        tasks.append(asyncio.create_task(worker.start()))

    yield start
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
