"""Webhooks: apps subscribe to event types (subscriptions.py); the outbox consumer makes
deliveries for the apps that could read each event (consumers.py, audience.py); worker jobs
send them signed, retry with backoff and disable failing subscriptions (sending.py).
docs/webhooks.md is the receiver's side."""

from resolvers.webhooks.access import visible_webhook_deliveries, visible_webhook_subscriptions
from resolvers.webhooks.consumers import register_consumers
from resolvers.webhooks.secrets import signature
from resolvers.webhooks.sending import (
    JOB,
    WebhookPolicy,
    deliver,
    dispatch_due,
    prune_deliveries,
)
from resolvers.webhooks.subscriptions import (
    MAX_SUBSCRIPTIONS_PER_APP,
    check_url,
    create_subscription,
    delete_subscription,
    deliveries_page,
    enable_subscription,
    event_types,
    redeliver,
    rotate_secret,
    update_subscription,
)

__all__ = [
    "JOB",
    "MAX_SUBSCRIPTIONS_PER_APP",
    "WebhookPolicy",
    "check_url",
    "create_subscription",
    "delete_subscription",
    "deliver",
    "deliveries_page",
    "dispatch_due",
    "enable_subscription",
    "event_types",
    "prune_deliveries",
    "redeliver",
    "register_consumers",
    "rotate_secret",
    "signature",
    "update_subscription",
    "visible_webhook_deliveries",
    "visible_webhook_subscriptions",
]
