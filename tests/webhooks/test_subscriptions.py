"""Managing subscriptions: the secret shown once, validation, the per-app limit under
concurrency, the app's own token, the event type list, and SQL that does not grow with pages."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from tortoise.transactions import in_transaction

from models.accounts import Role
from models.events import Event
from models.webhooks import WebhookAttempt, WebhookDelivery, WebhookDeliveryStatus
from resolvers.errors import InvalidInput
from resolvers.events import EVENT_TYPES, record_event
from resolvers.principal import Scope
from resolvers.webhooks import MAX_SUBSCRIPTIONS_PER_APP, check_url
from settings import Settings, SettingsError
from tests.carts.shop import pk
from tests.factories import MakeApp, MakeAppToken, SignIn
from tests.utils import GraphQLClient, gid, run_job
from tests.webhooks.support import CREATE, subscribe, webhook_app

ROTATE = """
mutation($id: ID!) { rotateWebhookSecret(subscriptionId: $id) {
  __typename ... on RotateWebhookSecretSuccess { secret subscription { secretHint } } } }
"""
SUBSCRIPTION = """
query($id: ID!) { node(id: $id) { ... on WebhookSubscription {
  id url eventTypes secretHint active app { id } } } }
"""
URL = "https://hooks.example.com/agora"


@pytest.mark.smoke
async def test_the_secret_is_shown_at_creation_and_rotation_only(
    gql: GraphQLClient, sign_in: SignIn, make_app: MakeApp
) -> None:
    seller = await sign_in(role=Role.MERCHANT)
    app = await webhook_app(make_app, seller.user)
    subscription, secret = await subscribe(
        gql, seller.token, app, URL, ["order.paid", "order.created", "order.paid"]
    )
    assert secret.startswith("whsec_")
    assert len(secret) > 40
    seen = (await gql.data(SUBSCRIPTION, {"id": subscription}, token=seller.token))["node"]
    assert seen == {
        "id": subscription,
        "url": URL,
        "eventTypes": ["order.created", "order.paid"],
        "secretHint": secret[:10],
        "active": True,
        "app": {"id": gid("App", app.id)},
    }
    rotated = await gql.data(ROTATE, {"id": subscription}, token=seller.token)
    new = rotated["rotateWebhookSecret"]
    assert new["secret"] != secret
    assert new["secret"].startswith("whsec_")
    assert new["subscription"]["secretHint"] == new["secret"][:10]


@pytest.mark.parametrize(
    ("url", "types", "field"),
    [
        ("https://user:pass@hooks.example.com/x", ["order.paid"], "url"),
        ("ftp://hooks.example.com/x", ["order.paid"], "url"),
        ("https://hooks.example.com/x#frag", ["order.paid"], "url"),
        ("https:///nohost", ["order.paid"], "url"),
        ("https://hooks.example.com:99999/x", ["order.paid"], "url"),
        ("https://hooks.example.com/" + "x" * 2000, ["order.paid"], "url"),
        (URL, ["order.payed"], "eventTypes"),
        (URL, [], "eventTypes"),
    ],
)
async def test_bad_urls_and_event_types_are_validation_errors(
    gql: GraphQLClient, sign_in: SignIn, make_app: MakeApp, url: str, types: list[str], field: str
) -> None:
    seller = await sign_in(role=Role.MERCHANT)
    app = await webhook_app(make_app, seller.user)
    variables = {"app": gid("App", app.id), "url": url, "types": types}
    made = (await gql.data(CREATE, variables, token=seller.token))["createWebhookSubscription"]
    assert made["__typename"] == "ValidationError", made
    assert made["field"] == field


async def test_an_app_without_the_webhooks_scope_cannot_subscribe(
    gql: GraphQLClient, sign_in: SignIn, make_app: MakeApp
) -> None:
    seller = await sign_in(role=Role.MERCHANT)
    shopper = await sign_in(role=Role.SHOPPER)
    for owner, app in [
        (seller, await webhook_app(make_app, seller.user, Scope.WEBHOOKS)),
        # A shopper's role cannot grant the scope, even if the app row names it.
        (shopper, await make_app(shopper.user, scopes=["webhooks", "read:orders"])),
    ]:
        variables = {"app": gid("App", app.id), "url": URL, "types": ["order.paid"]}
        made = (await gql.data(CREATE, variables, token=owner.token))["createWebhookSubscription"]
        assert made["__typename"] == "ValidationError", made
        assert made["field"] == "appId"


def test_production_urls_are_https_to_public_hosts() -> None:
    assert (
        check_url(" https://hooks.example.com/a?b=1 ", False) == "https://hooks.example.com/a?b=1"
    )
    assert check_url("http://127.0.0.1:8080/hooks", True) == "http://127.0.0.1:8080/hooks"
    for url in [
        "http://hooks.example.com/a",
        "https://localhost/a",
        "https://10.0.0.5/a",
        "https://[::1]/a",
        "https://169.254.169.254/latest",
        "https://printer.local/a",
    ]:
        with pytest.raises(InvalidInput):
            check_url(url, False)


async def test_concurrent_creates_stop_at_the_per_app_limit(
    gql: GraphQLClient, sign_in: SignIn, make_app: MakeApp
) -> None:
    seller = await sign_in(role=Role.MERCHANT)
    app = await webhook_app(make_app, seller.user)
    variables = {"app": gid("App", app.id), "url": URL, "types": ["order.paid"]}
    extra = 5
    results = await asyncio.gather(
        *(
            gql.data(CREATE, variables, token=seller.token)
            for _ in range(MAX_SUBSCRIPTIONS_PER_APP + extra)
        )
    )
    kinds = sorted(r["createWebhookSubscription"]["__typename"] for r in results)
    assert (
        kinds
        == ["ConflictError"] * extra
        + ["CreateWebhookSubscriptionSuccess"] * MAX_SUBSCRIPTIONS_PER_APP
    )
    listed = await gql.data(
        "{ viewer { apps { edges { node { webhookSubscriptions(first: 50) { totalCount } } } } } }",
        token=seller.token,
    )
    [edge] = listed["viewer"]["apps"]["edges"]
    assert edge["node"]["webhookSubscriptions"]["totalCount"] == MAX_SUBSCRIPTIONS_PER_APP


async def test_an_apps_own_token_manages_its_own_subscriptions_only(
    gql: GraphQLClient, sign_in: SignIn, make_app: MakeApp, make_app_token: MakeAppToken
) -> None:
    seller = await sign_in(role=Role.MERCHANT)
    app = await webhook_app(make_app, seller.user)
    sibling = await webhook_app(make_app, seller.user)
    token = await make_app_token(app)
    sibling_token = await make_app_token(sibling)
    without = await make_app_token(await webhook_app(make_app, seller.user, Scope.WEBHOOKS))

    subscription, _ = await subscribe(gql, token, app, URL, ["order.paid"])
    seen = (await gql.data(SUBSCRIPTION, {"id": subscription}, token=token))["node"]
    assert seen["url"] == URL
    assert seen["app"] is None  # apps do not see apps
    assert (await gql.data(SUBSCRIPTION, {"id": subscription}, token=sibling_token))["node"] is None

    variables = {"app": gid("App", sibling.id), "url": URL, "types": ["order.paid"]}
    other = (await gql.data(CREATE, variables, token=token))["createWebhookSubscription"]
    assert other["__typename"] == "NotFoundError"
    rotated = await gql.data(ROTATE, {"id": subscription}, token=sibling_token)
    assert rotated["rotateWebhookSecret"]["__typename"] == "NotFoundError"
    refused = await gql.post(ROTATE, {"id": subscription}, token=without)
    assert refused.codes == ["FORBIDDEN"]
    assert refused.errors[0]["extensions"]["scope"] == "webhooks"


async def test_the_event_type_list_is_every_event_type_with_its_scope(gql: GraphQLClient) -> None:
    data = await gql.data("{ webhookEventTypes { type scope description audience } }")
    listed = data["webhookEventTypes"]
    assert [item["type"] for item in listed] == sorted(EVENT_TYPES)
    scopes = {item["type"]: item["scope"] for item in listed}
    assert scopes["order.paid"] == "READ_ORDERS"
    assert scopes["product.updated"] == "READ_COMMERCE"
    assert scopes["comment.created"] == "READ_CONTENT"
    assert scopes["webhook.disabled"] == "WEBHOOKS"
    assert all(item["description"] and item["audience"] for item in listed)


DELIVERY_PAGE = """
query($id: ID!, $n: Int!, $status: WebhookDeliveryStatus) { node(id: $id) {
  ... on WebhookSubscription { deliveries(first: $n, status: $status) { totalCount edges { node {
    id status subscription { id } attempts { number responseCode } } } } } } }
"""


async def test_a_delivery_page_costs_the_same_sql_for_2_and_20_and_filters_by_status(
    gql: GraphQLClient, sign_in: SignIn, make_app: MakeApp
) -> None:
    seller = await sign_in(role=Role.MERCHANT)
    app = await webhook_app(make_app, seller.user)
    subscription, _ = await subscribe(gql, seller.token, app, URL, ["order.paid"])
    now = datetime.now(UTC)
    for event_id in range(1, 25):
        status = (
            WebhookDeliveryStatus.FAILED if event_id % 4 == 0 else WebhookDeliveryStatus.SUCCEEDED
        )
        delivery = await WebhookDelivery.create(
            subscription_id=pk(subscription),
            event_id=event_id,
            event_type="order.paid",
            body="{}",
            status=status,
            attempts=2,
        )
        for number in (1, 2):
            await WebhookAttempt.create(
                delivery_id=delivery.id,
                number=number,
                started_at=now,
                duration_ms=3,
                succeeded=number == 2,
                response_code=200 if number == 2 else 502,
            )

    small = await gql.post(DELIVERY_PAGE, {"id": subscription, "n": 2}, token=seller.token)
    large = await gql.post(DELIVERY_PAGE, {"id": subscription, "n": 20}, token=seller.token)
    assert not small.errors, small.errors
    assert not large.errors, large.errors
    assert small.sql == large.sql, (small.sql, large.sql)
    edges = large.data["node"]["deliveries"]["edges"]
    assert len(edges) == 20
    assert [pk(e["node"]["id"]) for e in edges] == sorted(
        (pk(e["node"]["id"]) for e in edges), reverse=True
    )
    assert edges[0]["node"]["attempts"] == [
        {"number": 1, "responseCode": 502},
        {"number": 2, "responseCode": 200},
    ]
    failed = await gql.data(
        DELIVERY_PAGE, {"id": subscription, "n": 20, "status": "FAILED"}, token=seller.token
    )
    assert failed["node"]["deliveries"]["totalCount"] == 6
    assert {e["node"]["status"] for e in failed["node"]["deliveries"]["edges"]} == {"FAILED"}


def test_settings_allow_http_only_in_development_and_at_least_five_attempts() -> None:
    assert Settings.from_env({}).webhook_allow_http
    production = {"ENVIRONMENT": "production", "SECRET_KEY": "s" * 40}
    assert not Settings.from_env(production).webhook_allow_http
    assert Settings.from_env(production | {"WEBHOOK_ALLOW_HTTP": "true"}).webhook_allow_http
    with pytest.raises(SettingsError, match="WEBHOOK_MAX_ATTEMPTS"):
        Settings.from_env({"WEBHOOK_MAX_ATTEMPTS": "4"})
    with pytest.raises(SettingsError, match="WEBHOOK_RETRY_MAX_SECONDS"):
        Settings.from_env({"WEBHOOK_RETRY_BASE_SECONDS": "60", "WEBHOOK_RETRY_MAX_SECONDS": "30"})


async def test_a_relay_that_runs_again_makes_no_second_delivery(
    gql: GraphQLClient, sign_in: SignIn, make_app: MakeApp, services: Any
) -> None:
    seller = await sign_in(role=Role.MERCHANT)
    app = await webhook_app(make_app, seller.user)
    # A port nothing listens on: attempts fail fast, the delivery rows are what is checked.
    await subscribe(gql, seller.token, app, "http://127.0.0.1:9/hooks", ["webhook.disabled"])
    async with in_transaction():
        await record_event(
            "webhook.disabled",
            {
                "subscription": {"id": "x"},
                "app": {"id": gid("App", app.id)},
                "url": "",
                "reason": "",
            },
        )
    job = await run_job(services.queue, "relay_events")
    assert job.status == "complete", job.error
    # As a relay that died after its consumers ran but before the relayed mark.
    await Event.all().update(relayed_at=None)
    job = await run_job(services.queue, "relay_events")
    assert job.status == "complete", job.error
    assert await WebhookDelivery.all().count() == 1


async def test_finished_deliveries_are_pruned_after_the_retention_and_open_ones_stay(
    gql: GraphQLClient, sign_in: SignIn, make_app: MakeApp, services: Any
) -> None:
    seller = await sign_in(role=Role.MERCHANT)
    app = await webhook_app(make_app, seller.user)
    subscription, _ = await subscribe(gql, seller.token, app, URL, ["order.paid"])
    old = datetime.now(UTC) - timedelta(days=31)
    for event_id, status, when in [
        (1, WebhookDeliveryStatus.SUCCEEDED, old),
        (2, WebhookDeliveryStatus.FAILED, old),
        (3, WebhookDeliveryStatus.RETRYING, old),
        (4, WebhookDeliveryStatus.SUCCEEDED, datetime.now(UTC)),
    ]:
        row = await WebhookDelivery.create(
            subscription_id=pk(subscription),
            event_id=event_id,
            event_type="order.paid",
            body="{}",
            status=status,
        )
        await WebhookDelivery.filter(id=row.id).update(created_at=when)
    job = await run_job(services.queue, "prune_webhook_deliveries")
    assert job.status == "complete", job.error
    assert job.result == {"pruned": 2}
    left = await WebhookDelivery.all().order_by("event_id")
    assert [row.event_id for row in left] == [3, 4]
