"""Success types and payload unions of the webhook mutations."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.errors import ConflictError, NotFoundError, ValidationError
from schema.webhooks.types import WebhookDelivery, WebhookSubscription


@strawberry.type(description="The new subscription. `secret` is shown only this once.")
class CreateWebhookSubscriptionSuccess:
    subscription: WebhookSubscription = strawberry.field(description="The new subscription.")
    secret: str = strawberry.field(
        description="The signing secret (`whsec_…`): verify `Agora-Webhook-Signature` with it. "
        "Store it now; `rotateWebhookSecret` makes a new one."
    )


@strawberry.type(description="The subscription after the change.")
class UpdateWebhookSubscriptionSuccess:
    subscription: WebhookSubscription = strawberry.field(description="As it is now.")


@strawberry.type(description="The subscription and its deliveries are gone.")
class DeleteWebhookSubscriptionSuccess:
    deleted_subscription_id: strawberry.ID = strawberry.field(
        description="The id the deleted subscription had."
    )


@strawberry.type(description="A new signing secret, in force at once. Shown only this once.")
class RotateWebhookSecretSuccess:
    subscription: WebhookSubscription = strawberry.field(description="With its new `secretHint`.")
    secret: str = strawberry.field(description="The new signing secret; the old one is void.")


@strawberry.type(description="The subscription is active again.")
class EnableWebhookSubscriptionSuccess:
    subscription: WebhookSubscription = strawberry.field(
        description="Active, its failure count back to 0."
    )


@strawberry.type(description="The delivery is queued to be sent again.")
class RedeliverWebhookSuccess:
    delivery: WebhookDelivery = strawberry.field(description="The delivery, PENDING again.")


CreateWebhookSubscriptionPayload = Annotated[
    CreateWebhookSubscriptionSuccess | ValidationError | ConflictError | NotFoundError,
    strawberry.union(
        "CreateWebhookSubscriptionPayload",
        description="The new subscription and its secret, or why it was refused.",
    ),
]
UpdateWebhookSubscriptionPayload = Annotated[
    UpdateWebhookSubscriptionSuccess | ValidationError | NotFoundError,
    strawberry.union(
        "UpdateWebhookSubscriptionPayload",
        description="The subscription after the change, or why it was refused.",
    ),
]
DeleteWebhookSubscriptionPayload = Annotated[
    DeleteWebhookSubscriptionSuccess | ValidationError | NotFoundError,
    strawberry.union(
        "DeleteWebhookSubscriptionPayload",
        description="The deleted subscription's id, or why it was not deleted.",
    ),
]
RotateWebhookSecretPayload = Annotated[
    RotateWebhookSecretSuccess | ValidationError | NotFoundError,
    strawberry.union(
        "RotateWebhookSecretPayload",
        description="The new secret, or why it was not rotated.",
    ),
]
EnableWebhookSubscriptionPayload = Annotated[
    EnableWebhookSubscriptionSuccess | ValidationError | NotFoundError,
    strawberry.union(
        "EnableWebhookSubscriptionPayload",
        description="The re-enabled subscription, or why it was refused.",
    ),
]
RedeliverWebhookPayload = Annotated[
    RedeliverWebhookSuccess | ValidationError | ConflictError | NotFoundError,
    strawberry.union(
        "RedeliverWebhookPayload",
        description="The delivery queued again, or why it was refused.",
    ),
]
