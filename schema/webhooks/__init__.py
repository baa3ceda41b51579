"""GraphQL shape of webhooks: subscriptions, deliveries and their attempts, the mutations and
`webhookEventTypes`. `App.webhookSubscriptions` is a field of App (schema/apps.py), calling
`schema.webhooks.fields` lazily, as this package imports that module."""

from __future__ import annotations

from schema.webhooks.mutations import WebhookMutation, WebhookQuery
from schema.webhooks.types import WebhookDelivery, WebhookSubscription

__all__ = ["WebhookDelivery", "WebhookMutation", "WebhookQuery", "WebhookSubscription"]
