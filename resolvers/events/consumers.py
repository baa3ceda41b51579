"""In-process consumers of relayed events: `subscribe(type_or_prefix, handler)`.

Delivery is at least once: a relay that dies after a handler ran but before the event was
marked relayed runs it again, so handlers must be idempotent (a unique key, an upsert, a
conditional update). A handler's database writes share a savepoint with the event's relayed
mark, so writes alone are applied exactly once; anything outside the database is not.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class DomainEvent:
    """What a consumer gets: the row as recorded (payload as documented in docs/events.md)."""

    id: int
    type: str
    version: int
    payload: dict[str, Any]
    created_at: datetime

    def message(self) -> dict[str, Any]:
        """The JSON published on the Redis channel."""
        return {
            "id": self.id,
            "type": self.type,
            "version": self.version,
            "createdAt": self.created_at.isoformat(),
            "payload": self.payload,
        }


Handler = Callable[[DomainEvent], Awaitable[None]]

_consumers: list[tuple[str, Handler]] = []


def matches(pattern: str, event_type: str) -> bool:
    """ "*" is every type; "order.paid" that type; "order" or "order." every order.* type."""
    if pattern == "*" or pattern == event_type:
        return True
    return event_type.startswith(pattern.rstrip(".") + ".")


def subscribe(pattern: str, handler: Handler) -> Callable[[], None]:
    """Register a handler for a type or a prefix; returns the function that unregisters it.

    Handlers run in registration order, one event at a time, in event id order.
    """
    if not pattern or pattern.strip() != pattern:
        raise ValueError("subscribe to '*', a type such as 'order.paid', or a prefix 'order.'")
    entry = (pattern, handler)
    _consumers.append(entry)

    def unsubscribe() -> None:
        if entry in _consumers:
            _consumers.remove(entry)

    return unsubscribe


def handlers_for(event_type: str) -> list[Handler]:
    return [handler for pattern, handler in _consumers if matches(pattern, event_type)]
