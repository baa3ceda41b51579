"""GraphQL subscriptions: the per-process hub that fans relayed events out to subscribers
(hub.py), the per-caller connection leases (leases.py) and a connection's authentication and
checks (connection.py). docs/subscriptions.md describes the protocol."""

from resolvers.subscriptions.connection import (
    SubscriptionContext,
    authorization_of,
    recheck,
    release_lease,
    renew_lease,
    sign_in,
    still_signed_in,
    take_lease,
)
from resolvers.subscriptions.hub import Hub, SubscriberTooSlow, SubscriptionUnavailable

__all__ = [
    "Hub",
    "SubscriberTooSlow",
    "SubscriptionContext",
    "SubscriptionUnavailable",
    "authorization_of",
    "recheck",
    "release_lease",
    "renew_lease",
    "sign_in",
    "still_signed_in",
    "take_lease",
]
