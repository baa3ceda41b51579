"""The webhook mutations and the `webhookEventTypes` query."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers import webhooks
from schema.base import Info, decode_id
from schema.webhooks.payloads import (
    CreateWebhookSubscriptionPayload,
    CreateWebhookSubscriptionSuccess,
    DeleteWebhookSubscriptionPayload,
    DeleteWebhookSubscriptionSuccess,
    EnableWebhookSubscriptionPayload,
    EnableWebhookSubscriptionSuccess,
    RedeliverWebhookPayload,
    RedeliverWebhookSuccess,
    RotateWebhookSecretPayload,
    RotateWebhookSecretSuccess,
    UpdateWebhookSubscriptionPayload,
    UpdateWebhookSubscriptionSuccess,
)
from schema.webhooks.types import WebhookDelivery, WebhookEventType, WebhookSubscription

SubscriptionId = Annotated[
    strawberry.ID,
    strawberry.argument(description="The subscription (a WebhookSubscription id)."),
]
EventTypes = Annotated[
    list[str],
    strawberry.argument(
        description='Event types to receive, e.g. ["order.paid"]; see `webhookEventTypes`.'
    ),
]
WHO = " The app's owner in person (or an admin), or the app's own token with the webhooks scope."


def _subscription_id(value: strawberry.ID) -> int:
    return decode_id(value, "WebhookSubscription", field="subscriptionId")


@strawberry.type
class WebhookQuery:
    @strawberry.field(
        description="Every event type a webhook subscription can name, with the scope an app "
        "needs to receive it."
    )
    def webhook_event_types(self) -> list[WebhookEventType]:
        return [
            WebhookEventType(
                type=item.type,
                scope=item.scope,
                description=item.description,
                audience=item.audience,
            )
            for item in webhooks.event_types()
        ]


@strawberry.type
class WebhookMutation:
    @strawberry.mutation(
        description="Subscribe an app to event types, delivered to a URL (https; http too in "
        "development). The app needs the webhooks scope; at most 10 subscriptions an app." + WHO
    )
    async def create_webhook_subscription(
        self,
        info: Info,
        app_id: Annotated[strawberry.ID, strawberry.argument(description="The app (an App id).")],
        url: Annotated[
            str,
            strawberry.argument(
                description="Where to POST deliveries: https://…, no credentials, no fragment."
            ),
        ],
        event_types: EventTypes,
    ) -> CreateWebhookSubscriptionPayload | None:
        made = await webhooks.create_subscription(
            info.context,
            app_id=decode_id(app_id, "App", field="appId"),
            url=url,
            event_types=event_types,
        )
        return CreateWebhookSubscriptionSuccess(
            subscription=WebhookSubscription.from_model(made.subscription), secret=made.secret
        )

    @strawberry.mutation(description="Change a subscription's URL or event types." + WHO)
    async def update_webhook_subscription(
        self,
        info: Info,
        subscription_id: SubscriptionId,
        url: Annotated[
            str | None, strawberry.argument(description="A new URL; unchanged if omitted.")
        ] = None,
        event_types: Annotated[
            list[str] | None,
            strawberry.argument(description="The new full list of event types."),
        ] = None,
    ) -> UpdateWebhookSubscriptionPayload | None:
        row = await webhooks.update_subscription(
            info.context,
            subscription_id=_subscription_id(subscription_id),
            url=url,
            event_types=event_types,
        )
        return UpdateWebhookSubscriptionSuccess(subscription=WebhookSubscription.from_model(row))

    @strawberry.mutation(description="Delete a subscription and its delivery log." + WHO)
    async def delete_webhook_subscription(
        self, info: Info, subscription_id: SubscriptionId
    ) -> DeleteWebhookSubscriptionPayload | None:
        await webhooks.delete_subscription(
            info.context, subscription_id=_subscription_id(subscription_id)
        )
        return DeleteWebhookSubscriptionSuccess(deleted_subscription_id=subscription_id)

    @strawberry.mutation(
        description="Make a new signing secret, in force at once (shown only in the answer)." + WHO
    )
    async def rotate_webhook_secret(
        self, info: Info, subscription_id: SubscriptionId
    ) -> RotateWebhookSecretPayload | None:
        made = await webhooks.rotate_secret(
            info.context, subscription_id=_subscription_id(subscription_id)
        )
        return RotateWebhookSecretSuccess(
            subscription=WebhookSubscription.from_model(made.subscription), secret=made.secret
        )

    @strawberry.mutation(
        description="Turn a disabled subscription back on. Deliveries that failed meanwhile "
        "stay failed: redeliver those you need." + WHO
    )
    async def enable_webhook_subscription(
        self, info: Info, subscription_id: SubscriptionId
    ) -> EnableWebhookSubscriptionPayload | None:
        row = await webhooks.enable_subscription(
            info.context, subscription_id=_subscription_id(subscription_id)
        )
        return EnableWebhookSubscriptionSuccess(subscription=WebhookSubscription.from_model(row))

    @strawberry.mutation(
        description="Send a succeeded or failed delivery again (same body, new signature), "
        "with a full round of retries." + WHO
    )
    async def redeliver_webhook(
        self,
        info: Info,
        delivery_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The delivery (a WebhookDelivery id)."),
        ],
    ) -> RedeliverWebhookPayload | None:
        row = await webhooks.redeliver(
            info.context,
            delivery_id=decode_id(delivery_id, "WebhookDelivery", field="deliveryId"),
        )
        return RedeliverWebhookSuccess(delivery=WebhookDelivery.from_model(row))
