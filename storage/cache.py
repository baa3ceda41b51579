"""Redis clients: a real server (redis://) or an in-process fakeredis (memory://)."""

from __future__ import annotations

import fakeredis
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from storage.breaker import CircuitBreaker

# One fake server per URL, so every client opened in the process sees the same data.
_fake_servers: dict[str, fakeredis.FakeServer] = {}


def open_redis(url: str, *, decode_responses: bool = False, timeout: float | None = None) -> Redis:
    """A client for `url`. `timeout` bounds connecting and every command: the request path
    passes REDIS_TIMEOUT_SECONDS, so a hung Redis costs it a fraction of a second (and the
    breaker then skips Redis); without it, 2 s to connect and 5 s a command, for the job queue,
    whose calls are off the request path and may be slower."""
    if url.startswith("memory://"):
        server = _fake_servers.setdefault(url, fakeredis.FakeServer())
        client: Redis = fakeredis.FakeAsyncRedis(server=server, decode_responses=decode_responses)
        return client
    return Redis.from_url(
        url,
        decode_responses=decode_responses,
        socket_connect_timeout=2 if timeout is None else timeout,
        socket_timeout=5 if timeout is None else timeout,
        health_check_interval=30,
        # No retries (what from_url's connections do anyway, said here so it stays so): a
        # retry would make a hung Redis cost a request the timeout twice.
        retry=Retry(NoBackoff(), 0),
    )


class RedisSkipped(RedisConnectionError):
    """Raised instead of calling Redis while its breaker is open. A ConnectionError, so every
    caller that already fails open when Redis is down does the same here, with no wait."""


def redis_breaker(cooldown_seconds: float) -> CircuitBreaker:
    """The breaker for the request path's Redis: refused connections and timeouts trip it;
    an error Redis answers with (a wrong type, a missing script) is no outage."""
    return CircuitBreaker(
        "Redis",
        cooldown_seconds=cooldown_seconds,
        trips_on=(RedisConnectionError, RedisTimeoutError),
        rejection=RedisSkipped,
    )


class Keys:
    """Builds every Redis key, so all of them carry the deployment's prefix."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def __call__(self, *parts: str | int) -> str:
        return self.prefix + ":".join(str(part) for part in parts)
