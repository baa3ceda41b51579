"""The background job queue: saq on Redis (fakeredis in embedded mode)."""

from __future__ import annotations

import asyncio
from contextlib import suppress

import fakeredis
from redis.asyncio import Redis
from redis.exceptions import ResponseError
from saq.job import Job
from saq.queue.redis import RedisQueue
from saq.types import VersionTuple

# fakeredis answers Redis 7 commands (BLMOVE) but not INFO, which saq asks for the version.
ASSUMED_VERSION: VersionTuple = (7, 0, 0)
# How often an idle embedded worker looks for jobs nobody announced: retries and delayed jobs,
# which saq's upkeep moves onto the queue by script rather than through enqueue().
EMBEDDED_POLL_SECONDS = 1.0


class JobQueue(RedisQueue):
    async def version(self) -> VersionTuple:
        try:
            return await super().version()
        except ResponseError:
            self._version = ASSUMED_VERSION
            return ASSUMED_VERSION


class EmbeddedJobQueue(JobQueue):
    """The queue on an in-process fakeredis.

    fakeredis answers BLMOVE at once instead of blocking, so saq's dequeue loop would spin a
    core while idle. In-process, every enqueue happens in this process: an idle dequeue waits
    for one to be announced instead, or for the poll interval to pass.
    """

    def __init__(self, redis: Redis, name: str) -> None:
        super().__init__(redis, name=name)
        self._announced = asyncio.Event()

    async def _enqueue(self, job: Job) -> Job | None:
        queued = await super()._enqueue(job)
        self._announced.set()
        return queued

    async def dequeue(
        self,
        timeout: float = 0.0,  # noqa: ASYNC109 - saq's signature
        poll_interval: float = 0.0,
    ) -> Job | None:
        # Cleared before looking, so an enqueue after the look still wakes the wait below.
        self._announced.clear()
        job = await super().dequeue(timeout, poll_interval)
        if job is None:
            with suppress(TimeoutError):
                await asyncio.wait_for(
                    self._announced.wait(), min(timeout or EMBEDDED_POLL_SECONDS, 5.0)
                )
        return job


def open_queue(redis: Redis, prefix: str) -> JobQueue:
    if isinstance(redis, fakeredis.FakeAsyncRedis):
        return EmbeddedJobQueue(redis, name=f"{prefix}jobs")
    return JobQueue(redis, name=f"{prefix}jobs")
