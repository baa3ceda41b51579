"""GraphQL shape of subscriptions: the Subscription root (fields.py) and the WebSocket view
that serves it over graphql-transport-ws (transport.py). docs/subscriptions.md has the
protocol; resolvers/subscriptions the hub, leases and checks."""

from __future__ import annotations

from schema.subscriptions.checks import SubscriptionsOverWebSocket
from schema.subscriptions.fields import Subscription
from schema.subscriptions.transport import SubscriptionView

__all__ = ["Subscription", "SubscriptionView", "SubscriptionsOverWebSocket"]
