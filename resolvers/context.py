"""Per-request state handed to every resolver: who is calling, fresh loaders, the clients.

It knows no domain: each domain declares its own loaders (resolvers/loading.py).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from redis.asyncio import Redis
from saq.queue.base import Queue
from starlette.requests import HTTPConnection

from resolvers.loading import Loaders
from resolvers.principal import Principal
from settings import Settings
from storage.breaker import CircuitBreaker
from storage.cache import Keys, redis_breaker
from storage.media import Storage


@dataclass(frozen=True, slots=True, kw_only=True)
class Services:
    """Long-lived clients opened by the app's lifespan and shared by every request."""

    settings: Settings
    redis: Redis
    keys: Keys
    storage: Storage
    queue: Queue
    # Not an argument: made anew for each Services, so a copy with another Redis client
    # (dataclasses.replace, as tests do) never inherits the old client's open circuit.
    redis_breaker: CircuitBreaker = field(init=False)

    def __post_init__(self) -> None:
        breaker = redis_breaker(self.settings.redis_breaker_cooldown_seconds)
        object.__setattr__(self, "redis_breaker", breaker)  # frozen: set once, here


@dataclass(slots=True, kw_only=True)
class Context:
    request: HTTPConnection  # a WebSocket for subscriptions
    request_id: str
    principal: Principal
    services: Services
    loaders: Loaders = field(default_factory=Loaders)

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def redis(self) -> Redis:
        return self.services.redis

    @property
    def redis_breaker(self) -> CircuitBreaker:
        """Guards every request-path Redis call: `with ctx.redis_breaker.guard(): ...`."""
        return self.services.redis_breaker

    @property
    def keys(self) -> Keys:
        return self.services.keys

    @property
    def client_ip(self) -> str:
        return self.request.client.host if self.request.client else "unknown"

    @property
    def client_network(self) -> str:
        """Whom per-address limits count: the IPv4 address, or the IPv6 /64.

        One IPv6 host commonly holds a whole /64, so counting single addresses would let it
        step around every limit.
        """
        try:
            address = ipaddress.ip_address(self.client_ip)
        except ValueError:
            return self.client_ip
        if address.version == 6:
            return str(ipaddress.ip_network(f"{address}/64", strict=False))
        return str(address)
