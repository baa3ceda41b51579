"""Reading the outbox, and consumers that record what the relay hands them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from models.events import Event
from resolvers.events import DomainEvent, subscribe


async def outbox() -> list[tuple[str, dict[str, Any]]]:
    """Every event row, in id order, as (type, payload)."""
    return [(row.type, dict(row.payload)) for row in await Event.all().order_by("id")]


async def types() -> list[str]:
    return [kind for kind, _ in await outbox()]


class Seen:
    """A consumer that keeps what it was given; `fail_on` makes it refuse those event ids."""

    def __init__(self) -> None:
        self.events: list[DomainEvent] = []
        self.fail_on: set[int] = set()

    async def __call__(self, event: DomainEvent) -> None:
        if event.id in self.fail_on:
            raise RuntimeError(f"consumer refuses event {event.id}")
        self.events.append(event)

    @property
    def ids(self) -> list[int]:
        return [event.id for event in self.events]


@pytest.fixture
async def seen() -> AsyncIterator[Seen]:
    """A consumer of every event type, unregistered after the test."""
    consumer = Seen()
    unsubscribe = subscribe("*", consumer)
    yield consumer
    unsubscribe()
