"""The background job queue: saq on Redis (fakeredis in embedded mode)."""

from __future__ import annotations

from typing import Any

from redis.asyncio import Redis
from saq.queue.redis import RedisQueue


def open_queue(redis: Redis[Any], prefix: str) -> RedisQueue:
    # saq's Lua scripts and pub/sub need a client that returns bytes.
    return RedisQueue(redis, name=f"{prefix}jobs")
