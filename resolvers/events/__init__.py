"""Events: the transactional outbox (outbox.py), its relay (relay.py) and in-process consumers
(consumers.py). Every payload is documented in docs/events.md."""

from resolvers.events.consumers import DomainEvent, matches, subscribe
from resolvers.events.outbox import (
    EVENT_TYPES,
    KICK_KEY,
    global_id,
    kick,
    kicking_relay,
    local_id,
    record_event,
    ref_id,
    start_recording,
)
from resolvers.events.recorders import (
    comment_created,
    community_invited,
    community_member_approved,
    follow_created,
    notification_event,
    order_event,
    post_published,
    product_updated,
    reaction_created,
    review_created,
    stock_moved,
)
from resolvers.events.relay import (
    MAX_ATTEMPTS,
    RelayReport,
    channel,
    prune_relayed_events,
    relay_events,
)

__all__ = [
    "EVENT_TYPES",
    "KICK_KEY",
    "MAX_ATTEMPTS",
    "DomainEvent",
    "RelayReport",
    "channel",
    "comment_created",
    "community_invited",
    "community_member_approved",
    "follow_created",
    "global_id",
    "kick",
    "kicking_relay",
    "local_id",
    "matches",
    "notification_event",
    "order_event",
    "post_published",
    "product_updated",
    "prune_relayed_events",
    "reaction_created",
    "record_event",
    "ref_id",
    "relay_events",
    "review_created",
    "start_recording",
    "stock_moved",
    "subscribe",
]
