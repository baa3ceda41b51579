"""Webhooks: an app's subscriptions to event types, and one delivery per (subscription, event).

Deliveries are made by the outbox consumer in resolvers/webhooks (inside the relay's savepoint,
so exactly once per event) and sent by their own worker jobs after that commit. Each attempt
is logged in `webhook_attempts`; the delivery keeps the summary of the latest.

The signing secret must be readable to sign with, so it cannot be hashed like tokens: it is
kept encrypted (AES-GCM under a key derived from SECRET_KEY, resolvers/webhooks/secrets.py).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.base import TimestampedModel

if TYPE_CHECKING:
    from models.apps import App


class WebhookDeliveryStatus(StrEnum):
    PENDING = "pending"  # made, first attempt not yet sent
    RETRYING = "retrying"  # an attempt failed; another is scheduled at next_attempt_at
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # every attempt failed, or the subscription was gone or disabled


class WebhookSubscription(TimestampedModel):
    id = fields.BigIntField(primary_key=True)
    app: fields.ForeignKeyRelation[App] = fields.ForeignKeyField(
        "models.App", related_name="webhook_subscriptions", on_delete=fields.OnDelete.CASCADE
    )
    url = fields.CharField(max_length=2000)
    event_types: list[str] = fields.JSONField(default=list)
    # "v1:" + base64(nonce + AES-GCM ciphertext); see resolvers/webhooks/secrets.py.
    secret_encrypted = fields.CharField(max_length=200)
    # The secret's first characters, to tell secrets apart after a rotation.
    secret_hint = fields.CharField(max_length=16)
    active = fields.BooleanField(default=True)
    disabled_at = fields.DatetimeField(null=True)
    disabled_reason = fields.CharField(max_length=500, default="")
    # Deliveries that ended FAILED in a row; a success sets it back to 0.
    consecutive_failures = fields.IntField(default=0)

    app_id: int

    class Meta:
        table = "webhook_subscriptions"
        table_description = "An app's subscription to event types, delivered to one URL"
        indexes = (("app_id", "id"), ("active",))


class WebhookDelivery(Model):
    id = fields.BigIntField(primary_key=True)
    subscription: fields.ForeignKeyRelation[WebhookSubscription] = fields.ForeignKeyField(
        "models.WebhookSubscription", related_name="deliveries", on_delete=fields.OnDelete.CASCADE
    )
    # The outbox event; no foreign key, as relayed events are pruned after a retention.
    event_id = fields.BigIntField()
    event_type = fields.CharField(max_length=64)
    # The JSON body sent, fixed when the delivery is made: redeliveries send the same bytes.
    body = fields.TextField()
    status = fields.CharEnumField(WebhookDeliveryStatus, max_length=10)
    attempts = fields.SmallIntField(default=0)
    # Attempts made before the latest redeliverWebhook: each redelivery gets a full round.
    round_start = fields.SmallIntField(default=0)
    next_attempt_at = fields.DatetimeField(null=True)
    last_attempt_at = fields.DatetimeField(null=True)
    last_response_code = fields.SmallIntField(null=True)
    last_duration_ms = fields.IntField(null=True)
    last_response_snippet = fields.CharField(max_length=500, default="")
    last_error = fields.CharField(max_length=500, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    subscription_id: int

    class Meta:
        table = "webhook_deliveries"
        table_description = "One event to deliver to one subscription, with its latest outcome"
        unique_together = (("subscription", "event_id"),)
        indexes = (
            # A subscription's deliveries, newest first, optionally of one status.
            ("subscription_id", "id"),
            ("subscription_id", "status", "id"),
            # The dispatcher's "due now".
            ("status", "next_attempt_at"),
        )


class WebhookAttempt(Model):
    """One HTTP request of a delivery: the delivery log."""

    id = fields.BigIntField(primary_key=True)
    delivery: fields.ForeignKeyRelation[WebhookDelivery] = fields.ForeignKeyField(
        "models.WebhookDelivery", related_name="attempt_log", on_delete=fields.OnDelete.CASCADE
    )
    number = fields.SmallIntField()
    started_at = fields.DatetimeField()
    duration_ms = fields.IntField()
    succeeded = fields.BooleanField()
    response_code = fields.SmallIntField(null=True)
    response_snippet = fields.CharField(max_length=500, default="")
    error = fields.CharField(max_length=500, default="")
    # When the next attempt was scheduled for after this one failed; null when none was.
    next_attempt_at = fields.DatetimeField(null=True)

    delivery_id: int

    class Meta:
        table = "webhook_attempts"
        table_description = "One HTTP request of a webhook delivery"
        unique_together = (("delivery", "number"),)
