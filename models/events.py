"""Events: the transactional outbox every state change worth telling writes to.

A row is written in the same transaction as the change it tells of (resolvers/events), so a
rollback leaves no event and a commit always leaves one. The worker relays rows in id order
and marks them `relayed_at`; rows stay until the retention prune. `attempts`, `last_error`
and `failed_at` are the relay's bookkeeping for an event a consumer keeps refusing (see
docs/events.md, "Poison events").
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Event(Model):
    id = fields.BigIntField(primary_key=True)
    # Dotted, "<entity>.<what happened>": order.paid, product.back_in_stock, ...
    type = fields.CharField(max_length=64)
    version = fields.SmallIntField(default=1)
    # Documented per type in docs/events.md; ids in it are Relay global ids.
    payload: dict[str, object] = fields.JSONField()
    created_at = fields.DatetimeField(auto_now_add=True)
    relayed_at = fields.DatetimeField(null=True)
    attempts = fields.SmallIntField(default=0)
    last_error = fields.TextField(default="")
    failed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "events"
        table_description = "The outbox: one row per domain event, relayed in id order"
        # The relay's "unrelayed, oldest first" (relayed_at IS NULL ORDER BY id) and the prune's
        # "relayed before the cutoff" are both range scans of this one index.
        indexes = (("relayed_at", "id"),)
