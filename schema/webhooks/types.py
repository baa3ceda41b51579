"""The WebhookSubscription and WebhookDelivery nodes, the attempt log and the event types."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self

import strawberry

from models.webhooks import WebhookAttempt as WebhookAttemptModel
from models.webhooks import WebhookDelivery as WebhookDeliveryModel
from models.webhooks import WebhookDeliveryStatus as WebhookDeliveryStatusModel
from models.webhooks import WebhookSubscription as WebhookSubscriptionModel
from resolvers import webhooks
from resolvers.webhooks.loaders import attempts_by_delivery
from schema.apps import App, Scope
from schema.base import Info, describe_values
from schema.nodes import VisibleNode, build_each
from schema.pagination import After, Before, Connection, First, Last, page_args, to_connection

WebhookDeliveryStatus = strawberry.enum(
    WebhookDeliveryStatusModel,
    name="WebhookDeliveryStatus",
    description="Where a webhook delivery stands.",
)
describe_values(
    WebhookDeliveryStatus,
    {
        "PENDING": "Made, or redelivered; its next attempt is about to be sent.",
        "RETRYING": "An attempt failed; the next is scheduled at `nextAttemptAt`.",
        "SUCCEEDED": "The receiver answered 2xx.",
        "FAILED": "Every attempt failed, or the subscription was disabled before it was sent.",
    },
)


@strawberry.type(description="An event type an app can subscribe to, and who receives it.")
class WebhookEventType:
    type: str = strawberry.field(description="The type, e.g. `order.paid` (docs/events.md).")
    scope: Scope = strawberry.field(  # type: ignore[valid-type]
        description="The scope the app needs, besides `WEBHOOKS`, to receive it."
    )
    description: str = strawberry.field(description="When the event happens.")
    audience: str = strawberry.field(
        description="Which apps receive it: those that could read what it is about."
    )


@strawberry.type(description="One HTTP request of a delivery: the delivery log.")
class WebhookAttempt:
    number: int = strawberry.field(description="1 for the first attempt, counting redeliveries.")
    started_at: datetime = strawberry.field(description="When the request was sent (UTC).")
    duration_ms: int = strawberry.field(description="How long the exchange took, milliseconds.")
    succeeded: bool = strawberry.field(description="Whether the receiver answered 2xx.")
    response_code: int | None = strawberry.field(
        description="The HTTP status the receiver answered; null when it did not answer."
    )
    response_snippet: str = strawberry.field(
        description="The start of the receiver's answer (at most 500 characters)."
    )
    error: str = strawberry.field(description="Why it failed; empty when it succeeded.")
    next_attempt_at: datetime | None = strawberry.field(
        description="When the next attempt was scheduled for after this one; null if none was."
    )

    @classmethod
    def from_model(cls, row: WebhookAttemptModel) -> Self:
        return cls(
            number=row.number,
            started_at=row.started_at,
            duration_ms=row.duration_ms,
            succeeded=row.succeeded,
            response_code=row.response_code,
            response_snippet=row.response_snippet,
            error=row.error,
            next_attempt_at=row.next_attempt_at,
        )


@strawberry.type(
    description="One event sent to one subscription, with its latest outcome and every "
    "attempt. Visible where its subscription is."
)
class WebhookDelivery(VisibleNode):
    id: strawberry.relay.NodeID[int]
    event_id: int = strawberry.field(
        description="The event's id (the body's `id`): the same for every subscription it "
        "went to, so receivers can drop duplicates."
    )
    event_type: str = strawberry.field(description="The event's type, e.g. `order.paid`.")
    body: str = strawberry.field(description="The JSON body sent, byte for byte.")
    status: WebhookDeliveryStatus = strawberry.field(  # type: ignore[valid-type]
        description="Where it stands."
    )
    attempt_count: int = strawberry.field(description="Attempts made so far.")
    next_attempt_at: datetime | None = strawberry.field(
        description="When the next attempt is due; null once it succeeded or failed."
    )
    last_attempt_at: datetime | None = strawberry.field(description="When it was last sent.")
    last_response_code: int | None = strawberry.field(
        description="The last attempt's HTTP status; null if none answered."
    )
    last_duration_ms: int | None = strawberry.field(
        description="How long the last attempt took, milliseconds."
    )
    last_response_snippet: str = strawberry.field(
        description="The start of the last answer (at most 500 characters)."
    )
    last_error: str = strawberry.field(description="Why the last attempt failed, if it did.")
    created_at: datetime = strawberry.field(description="When the delivery was made (UTC).")
    row: strawberry.Private[WebhookDeliveryModel]

    @classmethod
    def from_model(cls, row: WebhookDeliveryModel) -> Self:
        return cls(
            id=row.id,
            event_id=row.event_id,
            event_type=row.event_type,
            body=row.body,
            status=row.status,
            attempt_count=row.attempts,
            next_attempt_at=row.next_attempt_at,
            last_attempt_at=row.last_attempt_at,
            last_response_code=row.last_response_code,
            last_duration_ms=row.last_duration_ms,
            last_response_snippet=row.last_response_snippet,
            last_error=row.last_error,
            created_at=row.created_at,
            row=row,
        )

    @classmethod
    async def load_visible(cls, info: Info, ids: list[int]) -> list[Self | None]:
        found = await webhooks.visible_webhook_deliveries(info.context, ids)
        return build_each(found, cls.from_model)

    @strawberry.field(description="Every attempt, oldest first.")
    async def attempts(self, info: Info) -> list[WebhookAttempt]:
        rows = await info.context.loaders[attempts_by_delivery].load(self.row.id)
        return [WebhookAttempt.from_model(row) for row in rows]

    @strawberry.field(description="The subscription it was made for.")
    async def subscription(self, info: Info) -> WebhookSubscription | None:
        return await WebhookSubscription.load_one(info, self.row.subscription_id)


@strawberry.type(
    description="An app's subscription: events of these types that the app could read are "
    "POSTed, signed, to `url`. Visible to the app's owner in person, admins, and the app's own "
    "tokens holding the webhooks scope."
)
class WebhookSubscription(VisibleNode):
    id: strawberry.relay.NodeID[int]
    url: str = strawberry.field(description="Where deliveries are POSTed.")
    event_types: list[str] = strawberry.field(description="The event types subscribed to.")
    secret_hint: str = strawberry.field(
        description="The signing secret's first characters (the secret is shown only when "
        "made: at creation and rotation)."
    )
    active: bool = strawberry.field(
        description="False once disabled after repeated failures; `enableWebhookSubscription` "
        "turns it back on."
    )
    disabled_at: datetime | None = strawberry.field(description="When it was disabled.")
    disabled_reason: str = strawberry.field(description="Why it was disabled; empty if active.")
    consecutive_failures: int = strawberry.field(
        description="Deliveries that failed in a row (every attempt); a success resets it."
    )
    created_at: datetime = strawberry.field(description="When it was created (UTC).")
    updated_at: datetime = strawberry.field(description="When it was last changed (UTC).")
    row: strawberry.Private[WebhookSubscriptionModel]

    @classmethod
    def from_model(cls, row: WebhookSubscriptionModel) -> Self:
        return cls(
            id=row.id,
            url=row.url,
            event_types=list(row.event_types),
            secret_hint=row.secret_hint,
            active=row.active,
            disabled_at=row.disabled_at,
            disabled_reason=row.disabled_reason,
            consecutive_failures=row.consecutive_failures,
            created_at=row.created_at,
            updated_at=row.updated_at,
            row=row,
        )

    @classmethod
    async def load_visible(cls, info: Info, ids: list[int]) -> list[Self | None]:
        found = await webhooks.visible_webhook_subscriptions(info.context, ids)
        return build_each(found, cls.from_model)

    @strawberry.field(
        description="The app it belongs to; null through an app token (apps do not see apps)."
    )
    async def app(self, info: Info) -> App | None:
        return await App.load_one(info, self.row.app_id)

    @strawberry.field(description="Its deliveries, newest first.")
    async def deliveries(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        status: Annotated[
            WebhookDeliveryStatus | None,  # type: ignore[valid-type]
            strawberry.argument(description="Only deliveries in this status."),
        ] = None,
    ) -> Connection[WebhookDelivery]:
        found = await webhooks.deliveries_page(
            self.row.id,
            page_args(first, after, last, before),
            None if status is None else WebhookDeliveryStatusModel(status),
        )
        return to_connection(found, WebhookDelivery.from_model)
