"""Redis clients: a real server (redis://) or an in-process fakeredis (memory://)."""

from __future__ import annotations

import fakeredis
from redis.asyncio import Redis

# One fake server per URL, so every client opened in the process sees the same data.
_fake_servers: dict[str, fakeredis.FakeServer] = {}


def open_redis(url: str, *, decode_responses: bool = False) -> Redis:
    if url.startswith("memory://"):
        server = _fake_servers.setdefault(url, fakeredis.FakeServer())
        client: Redis = fakeredis.FakeAsyncRedis(server=server, decode_responses=decode_responses)
        return client
    return Redis.from_url(
        url,
        decode_responses=decode_responses,
        socket_connect_timeout=2,
        socket_timeout=5,
        health_check_interval=30,
    )


class Keys:
    """Builds every Redis key, so all of them carry the deployment's prefix."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def __call__(self, *parts: str | int) -> str:
        return self.prefix + ":".join(str(part) for part in parts)
