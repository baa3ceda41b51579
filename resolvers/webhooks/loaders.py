"""Per-request loaders of the webhooks domain."""

from __future__ import annotations

from models.webhooks import WebhookAttempt, WebhookDelivery, WebhookSubscription
from resolvers.loading import by_id, grouped

subscription_by_id = by_id(WebhookSubscription)
delivery_by_id = by_id(WebhookDelivery)
subscriptions_by_app = grouped(WebhookSubscription, "app_id", order_by=("-id",))
attempts_by_delivery = grouped(WebhookAttempt, "delivery_id", order_by=("number",))
