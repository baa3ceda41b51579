"""The background job queue: saq on Redis (fakeredis in embedded mode)."""

from __future__ import annotations

from redis.asyncio import Redis
from redis.exceptions import ResponseError
from saq.queue.redis import RedisQueue
from saq.types import VersionTuple

# fakeredis answers Redis 7 commands (BLMOVE) but not INFO, which saq asks for the version.
ASSUMED_VERSION: VersionTuple = (7, 0, 0)


class JobQueue(RedisQueue):
    async def version(self) -> VersionTuple:
        try:
            return await super().version()
        except ResponseError:
            self._version = ASSUMED_VERSION
            return ASSUMED_VERSION


def open_queue(redis: Redis, prefix: str) -> JobQueue:
    return JobQueue(redis, name=f"{prefix}jobs")
