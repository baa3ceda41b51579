"""The outbox consumer that turns events into deliveries (docs/events.md, docs/webhooks.md).

It runs in the worker inside the relay's savepoint for the event, so its rows commit with the
event's relayed mark: exactly once per (subscription, event), and a unique key guards a relay
that runs it twice. It sends nothing: the relay job dispatches the new deliveries to their
own jobs once the batch has committed (resolvers/jobs.py).
"""

from __future__ import annotations

import orjson

from models.webhooks import WebhookDelivery, WebhookDeliveryStatus, WebhookSubscription
from resolvers.events import DomainEvent, subscribe
from resolvers.webhooks.audience import could_read


async def on_event(event: DomainEvent) -> None:
    # Active subscriptions are few next to events (at most 10 an app); their event types are
    # matched here rather than with a JSON operator SQLite lacks.
    active = await WebhookSubscription.filter(active=True).select_related("app__owner")
    matching = [row for row in active if event.type in row.event_types]
    if not matching:
        return
    done = set(
        await WebhookDelivery.filter(event_id=event.id).values_list("subscription_id", flat=True)
    )
    body = orjson.dumps(event.message()).decode()
    readable: dict[int, bool] = {}
    new: list[WebhookDelivery] = []
    for row in matching:
        if row.id in done:
            continue
        if row.app_id not in readable:
            readable[row.app_id] = await could_read(row.app, row.app.owner, event)
        if readable[row.app_id]:
            new.append(
                WebhookDelivery(
                    subscription_id=row.id,
                    event_id=event.id,
                    event_type=event.type,
                    body=body,
                    status=WebhookDeliveryStatus.PENDING,
                    next_attempt_at=event.created_at,
                )
            )
    if new:
        await WebhookDelivery.bulk_create(new)


_registered: list[object] = []


def register_consumers() -> None:
    """Subscribe the delivery maker (once per process; the worker calls it as it starts)."""
    if not _registered:
        _registered.append(subscribe("*", on_event))
