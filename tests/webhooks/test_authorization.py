"""The authorization matrix of the webhook mutations (tests/authz.py).

The owner is the world's seller (a merchant: the role may grant `webhooks`), whose app holds
every scope the role allows and has one subscription with one FAILED delivery. The owner in
person and admins manage it; an app of the owner without `webhooks` is FORBIDDEN; everyone
else gets NotFoundError, as if it did not exist. The app's own token is tested in
test_subscriptions.py (the matrix's apps are other apps of the owner).
"""

from __future__ import annotations

from typing import Any

from models.webhooks import WebhookDelivery, WebhookDeliveryStatus, WebhookSubscription
from resolvers.principal import Scope
from schema.webhooks import WebhookMutation
from tests.authz import NOT_FOUND, Matrix, World, row
from tests.utils import gid
from tests.webhooks.support import subscribe, webhook_app

WHO: dict[str, Any] = {
    "allowed": ["owner", "admin"],
    "owner": "seller",
    "scope": Scope.WEBHOOKS,
    "refusal": NOT_FOUND,
}
SUBSCRIPTION = lambda w: {"id": w.scene["subscription"]}  # noqa: E731


async def _scene(w: World) -> None:
    app = await webhook_app(w.make_app, w.seller.user)
    subscription, _ = await subscribe(
        w.gql, w.seller.token, app, "https://hooks.example.com/agora", ["order.paid"]
    )
    row = await WebhookSubscription.get(app_id=app.id)
    delivery = await WebhookDelivery.create(
        subscription_id=row.id,
        event_id=1,
        event_type="order.paid",
        body="{}",
        status=WebhookDeliveryStatus.FAILED,
        attempts=5,
    )
    w.scene.update(app=gid("App", app.id), subscription=subscription, delivery=delivery)


async def _snapshot(w: World) -> Any:
    subscriptions = (
        await WebhookSubscription.all()
        .order_by("id")
        .values_list(
            "id", "url", "event_types", "secret_encrypted", "active", "consecutive_failures"
        )
    )
    deliveries = (
        await WebhookDelivery.all().order_by("id").values_list("id", "status", "round_start")
    )
    return subscriptions, deliveries


MATRIX = Matrix(
    domain=[WebhookMutation],
    scene=_scene,
    snapshot=_snapshot,
    rows=[
        row(
            "createWebhookSubscription",
            """mutation($app: ID!) { createWebhookSubscription(appId: $app,
               url: "https://hooks.example.com/other", eventTypes: ["order.paid"]) {
               __typename } }""",
            lambda w: {"app": w.scene["app"]},
            success="CreateWebhookSubscriptionSuccess",
            **WHO,
        ),
        row(
            "updateWebhookSubscription",
            """mutation($id: ID!) { updateWebhookSubscription(subscriptionId: $id,
               url: "https://hooks.example.com/moved") { __typename } }""",
            SUBSCRIPTION,
            success="UpdateWebhookSubscriptionSuccess",
            **WHO,
        ),
        row(
            "deleteWebhookSubscription",
            "mutation($id: ID!) { deleteWebhookSubscription(subscriptionId: $id) { __typename } }",
            SUBSCRIPTION,
            success="DeleteWebhookSubscriptionSuccess",
            **WHO,
        ),
        row(
            "rotateWebhookSecret",
            "mutation($id: ID!) { rotateWebhookSecret(subscriptionId: $id) { __typename } }",
            SUBSCRIPTION,
            success="RotateWebhookSecretSuccess",
            **WHO,
        ),
        row(
            "enableWebhookSubscription",
            """mutation($id: ID!) { enableWebhookSubscription(subscriptionId: $id) {
               __typename } }""",
            SUBSCRIPTION,
            success="EnableWebhookSubscriptionSuccess",
            changes=False,  # it is active already: nothing to change
            **WHO,
        ),
        row(
            "redeliverWebhook",
            "mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { __typename } }",
            lambda w: {"id": gid("WebhookDelivery", w.scene["delivery"].id)},
            success="RedeliverWebhookSuccess",
            **WHO,
        ),
    ],
)
test_every_webhook_mutation_is_in_the_matrix = MATRIX.coverage_test()
test_authorization_matrix = MATRIX.test()
